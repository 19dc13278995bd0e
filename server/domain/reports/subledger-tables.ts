/**
 * The subledger reports laid out as tables for CSV, XLSX and PDF (./export.ts renders them): aged
 * receivables and payables (with a party's documents when drilled into), the customer and vendor
 * statements and the tax summary. Figures are the JSON answer's, unchanged.
 */
import type { Aging, AgingFigures, ApAging, ArAging, Party, Statement, StatementFigures, TaxSummary } from './subledger'
import type { ReportTable } from './export'

const BUCKET_LABELS = { current: 'Current', days1to30: '1–30', days31to60: '31–60', days61to90: '61–90', over90: 'Over 90' } as const
const KIND_LABELS: Record<string, string> = {
  invoice: 'Invoice', credit_note: 'Credit note', receipt: 'Receipt', bill: 'Bill', vendor_credit: 'Vendor credit', bill_payment: 'Payment',
  invoice_void: 'Invoice void', credit_note_void: 'Credit note void', receipt_void: 'Receipt void',
  bill_void: 'Bill void', vendor_credit_void: 'Vendor credit void', bill_payment_void: 'Payment void',
  fx_difference: 'FX difference', fx_difference_void: 'FX difference reversed',
}

/** What names an aging's side in its file: the report name, title and the party column. */
interface AgingLabels { report: 'ar-aging' | 'ap-aging', title: string, party: string }

function agingTable<K extends string>(r: Aging<K>, labels: AgingLabels): ReportTable {
  const figures = (f: AgingFigures) => [f.current, f.days1to30, f.days31to60, f.days61to90, f.over90, f.total]
  const head = [{ label: labels.party, weight: 3 }, ...Object.values(BUCKET_LABELS).map(label => ({ label, amount: true })), { label: 'Total', amount: true }]
  if (r.documents) {
    const name = r.rows[0]?.name ?? labels.party
    return {
      name: `${labels.report}-${r.asOf}-${labels.party.toLowerCase()}`,
      title: `${labels.title}: ${name}`,
      subtitle: `As of ${r.asOf} (${r.currency})`,
      period: { asOf: r.asOf }, currency: r.currency,
      columns: [{ label: 'Type' }, { label: 'Number' }, { label: 'Date', date: true }, { label: 'Due', date: true }, { label: 'Days past due' }, { label: 'Bucket' },
        { label: 'Currency' }, { label: 'Open', amount: true }, { label: 'Open (base)', amount: true }],
      rows: [
        ...r.documents.map(d => [KIND_LABELS[d.kind] ?? d.kind, d.number, d.date, d.dueDate ?? '', String(d.daysPastDue), BUCKET_LABELS[d.bucket], d.currency, d.openAmount, d.openBase]),
        ['Total', '', '', '', '', '', '', '', r.totals.total],
      ],
    }
  }
  return {
    name: `${labels.report}-${r.asOf}`,
    title: labels.title,
    subtitle: `As of ${r.asOf} (${r.currency})`,
    period: { asOf: r.asOf }, currency: r.currency,
    columns: head,
    rows: [...r.rows.map(row => [row.name, ...figures(row)]), ['Total', ...figures(r.totals)]],
  }
}

export const arAgingTable = (r: ArAging) => agingTable(r, { report: 'ar-aging', title: 'Aged receivables', party: 'Customer' })
export const apAgingTable = (r: ApAging) => agingTable(r, { report: 'ap-aging', title: 'Aged payables', party: 'Vendor' })

function statementTable(r: StatementFigures, party: Party): ReportTable {
  return {
    name: `statement-${(party.code ?? party.name).replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 40)}-${r.from}-to-${r.to}`,
    title: `Statement: ${party.name}`,
    subtitle: `${r.from} to ${r.to} (${r.currency})`,
    period: { from: r.from, to: r.to }, currency: r.currency,
    columns: [{ label: 'Date', date: true }, { label: 'Type', weight: 1.4 }, { label: 'Number' }, { label: 'Reference', weight: 1.4 },
      { label: 'Charges', amount: true }, { label: 'Payments', amount: true }, { label: 'Balance', amount: true }],
    rows: [
      ['', 'Opening balance', '', '', '', '', r.openingBalance],
      ...r.rows.map(row => [row.date, KIND_LABELS[row.type] ?? row.type, row.number, row.reference ?? '', row.charges, row.payments, row.balance]),
      ['', 'Closing balance', '', '', '', '', r.closingBalance],
    ],
  }
}

export const customerStatementTable = (r: Statement<'customer'>) => statementTable(r, r.customer)
export const vendorStatementTable = (r: Statement<'vendor'>) => statementTable(r, r.vendor)

export function taxSummaryTable(r: TaxSummary): ReportTable {
  return {
    name: `tax-summary-${r.from}-to-${r.to}`,
    title: 'Tax summary',
    subtitle: `${r.from} to ${r.to} (${r.currency})`,
    period: { from: r.from, to: r.to }, currency: r.currency,
    columns: [{ label: 'Code' }, { label: 'Tax rate', weight: 2 }, { label: 'Rate %' }, { label: 'Sales net', amount: true }, { label: 'Sales tax', amount: true },
      { label: 'Purchases net', amount: true }, { label: 'Purchases tax', amount: true }],
    rows: [
      ...r.rows.map(row => [row.code, row.name, row.rate, row.salesNet, row.salesTax, row.purchasesNet, row.purchasesTax]),
      ['', 'Total', '', r.totals.salesNet, r.totals.salesTax, r.totals.purchasesNet, r.totals.purchasesTax],
      ['', 'Net tax (sales − purchases)', '', '', r.totals.net, '', ''],
    ],
  }
}
