/**
 * The receivables reports laid out as tables for CSV, XLSX and PDF (./export.ts renders them):
 * aged receivables (with a customer's documents when drilled into), the customer statement and
 * the tax summary. Figures are the JSON answer's, unchanged.
 */
import type { ArAging, CustomerStatement, TaxSummary } from '../sales/ar-reports'
import type { ReportTable } from './export'

const BUCKET_LABELS = { current: 'Current', days1to30: '1–30', days31to60: '31–60', days61to90: '61–90', over90: 'Over 90' } as const
const KIND_LABELS: Record<string, string> = {
  invoice: 'Invoice', credit_note: 'Credit note', receipt: 'Receipt',
  invoice_void: 'Invoice void', credit_note_void: 'Credit note void', receipt_void: 'Receipt void',
  fx_difference: 'FX difference', fx_difference_void: 'FX difference reversed',
}

export function arAgingTable(r: ArAging): ReportTable {
  const figures = (f: ArAging['totals']) => [f.current, f.days1to30, f.days31to60, f.days61to90, f.over90, f.total]
  const head = [{ label: 'Customer', weight: 3 }, ...Object.values(BUCKET_LABELS).map(label => ({ label, amount: true })), { label: 'Total', amount: true }]
  if (r.documents) {
    const name = r.rows[0]?.name ?? 'Customer'
    return {
      name: `ar-aging-${r.asOf}-customer`,
      title: `Aged receivables: ${name}`,
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
    name: `ar-aging-${r.asOf}`,
    title: 'Aged receivables',
    subtitle: `As of ${r.asOf} (${r.currency})`,
    period: { asOf: r.asOf }, currency: r.currency,
    columns: head,
    rows: [...r.rows.map(row => [row.name, ...figures(row)]), ['Total', ...figures(r.totals)]],
  }
}

export function customerStatementTable(r: CustomerStatement): ReportTable {
  return {
    name: `statement-${(r.customer.code ?? r.customer.name).replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 40)}-${r.from}-to-${r.to}`,
    title: `Statement: ${r.customer.name}`,
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
