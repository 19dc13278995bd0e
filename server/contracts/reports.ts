import { z } from 'zod'
import { REPORT_CATALOG, STATEMENT_COLUMNS, type CatalogEntry, type ReportName } from '../domain/reports/catalog'
import { defineContract, FILE_MEDIA_TYPES, Uuid, type InputPermission } from './define'

const DrillDown = z.object({ accountId: Uuid, from: z.string().nullable(), to: z.string() }).meta({ id: 'DrillDown' })
const Comparison = z.object({
  amount: z.string().meta({ description: 'The comparative amount' }),
  variance: z.string().meta({ description: 'Amount − comparative amount' }),
  variancePercent: z.string().nullable().meta({ description: 'Variance ÷ |comparative| × 100, rounded half-up to one decimal; null when the comparative is zero' }),
}).meta({ id: 'Comparison' })
const StatementRow = z.object({
  accountId: Uuid.nullable(), code: z.string().nullable(), name: z.string(), subtype: z.string().nullable(), amount: z.string(), drillDown: DrillDown.nullable(),
  comparison: Comparison.optional(),
}).meta({ id: 'StatementRow' })
const Section = z.object({ rows: z.array(StatementRow), total: z.string(), totalComparison: Comparison.optional() }).meta({ id: 'StatementSection' })
const Figure = z.object({ amount: z.string(), comparison: Comparison.optional() }).meta({ id: 'StatementFigure' })

const TrialBalanceResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  rows: z.array(z.object({ accountId: Uuid, code: z.string(), name: z.string(), type: z.string(), subtype: z.string(), debit: z.string(), credit: z.string(), abnormal: z.boolean(), drillDown: DrillDown })),
  totals: z.object({ debit: z.string(), credit: z.string() }),
}).meta({ id: 'TrialBalance' })
const BalanceSheetResponse = z.object({
  asOf: z.string(), currency: z.string(), fiscalYearStart: z.string(), assets: Section, liabilities: Section, equity: Section, totalLiabilitiesAndEquity: z.string(),
  comparison: z.object({ asOf: z.string(), fiscalYearStart: z.string(), totalLiabilitiesAndEquity: Comparison }).optional(),
  columns: z.object({
    by: z.enum(STATEMENT_COLUMNS),
    from: z.string(),
    periods: z.array(z.object({
      asOf: z.string(), label: z.string().meta({ description: '`Jan 2026`, `Q1 2026`; a column as of a date that ends no period names the date (`15 Jun 2026`)' }),
      fiscalYearStart: z.string(), assets: Section, liabilities: Section, equity: Section, totalLiabilitiesAndEquity: z.string(),
    }).meta({ id: 'BalanceSheetColumn', description: 'The balance sheet as of one month or quarter end' })),
  }).optional().meta({ description: 'With `columns=month|quarter`: the balance sheet as of each period end, the same rows in the same order as the statement itself, which is the last column' }),
}).meta({ id: 'BalanceSheet' })
const IncomeSections = z.object({ revenue: Section, costOfSales: Section, operatingExpenses: Section, otherIncome: Section, otherExpenses: Section })
const IncomeSubtotals = z.object({ grossProfit: Figure, operatingProfit: Figure, netIncome: Figure })
const IncomeColumn = z.object({
  from: z.string(), to: z.string(), label: z.string().meta({ description: '`Jan 2026`, `Q1 2026`; a period clipped by the range names its days (`15–31 Jan 2026`)' }),
  sections: IncomeSections, subtotals: IncomeSubtotals,
}).meta({ id: 'IncomeStatementColumn', description: 'One month or quarter of an income statement by columns' })
const IncomeFigures = z.object({ from: z.string(), to: z.string(), revenue: Section, expenses: Section, netIncome: z.string() })
const IncomeStatementResponse = IncomeFigures.extend({
  currency: z.string(),
  comparative: IncomeFigures.optional(),
  sections: IncomeSections
    .meta({ description: 'The accounts by subtype: revenue (operating_revenue), cost of sales (cost_of_sales), operating expenses (operating_expense, depreciation), other income (other_income), other expenses (other_expense)' }),
  subtotals: IncomeSubtotals
    .meta({ description: 'Gross profit = revenue − cost of sales; operating profit = gross profit − operating expenses; net income = operating profit + other income − other expenses' }),
  comparison: z.object({ basis: z.enum(['previous-period', 'previous-year', 'range']), from: z.string(), to: z.string() }).optional(),
  columns: z.object({
    by: z.enum(STATEMENT_COLUMNS),
    periods: z.array(IncomeColumn),
  }).optional().meta({ description: 'With `columns=month|quarter`: the statement of each period, its sections listing the same rows in the same order as the statement itself, which is then the total column' }),
}).meta({ id: 'IncomeStatement' })
const NoncashActivity = z.object({
  date: z.string(), entryId: Uuid, number: z.number().int().nullable(), memo: z.string(),
  amount: z.string().meta({ description: 'The investing and financing items exchanged: the larger of their debits and their credits' }),
}).meta({ id: 'NoncashActivity', description: 'A posted entry that moved no cash but acquired or settled investing or financing items (land bought for a note): disclosed, never in a section' })
const CashFlowResponse = z.object({
  from: z.string(), to: z.string(), currency: z.string(), netIncome: z.string(),
  operating: Section, investing: Section, financing: Section, netChange: z.string(), openingCash: z.string(), closingCash: z.string(),
  noncashActivities: z.array(NoncashActivity),
}).meta({ id: 'CashFlowStatement' })
const LedgerAccount = z.object({ id: Uuid, code: z.string(), name: z.string(), type: z.string(), subtype: z.string(), normalBalance: z.enum(['debit', 'credit']) }).meta({ id: 'GeneralLedgerAccount' })
const LedgerRow = z.object({ date: z.string(), entryId: Uuid, number: z.number().int().nullable(), memo: z.string(), description: z.string().nullable(), debit: z.string(), credit: z.string(), balance: z.string() }).meta({ id: 'GeneralLedgerRow' })
const GeneralLedgerResponse = z.object({
  account: LedgerAccount,
  currency: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  openingBalance: z.string(),
  rows: z.array(LedgerRow),
  closingBalance: z.string(),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
}).meta({ id: 'GeneralLedger', description: 'One account\'s ledger: the answer with `accountId`' })
const GeneralLedgerAccounts = z.object({
  currency: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  fromCode: z.string().nullable(),
  toCode: z.string().nullable(),
  accounts: z.array(z.object({
    account: LedgerAccount,
    openingBalance: z.string(),
    rows: z.array(LedgerRow),
    closingBalance: z.string(),
    lineCount: z.number().int().meta({ description: 'The account\'s posted lines in the range, over every page' }),
    firstLine: z.number().int().meta({ description: 'The number (from 1, within the account) of the first line in `rows`; lineCount + 1 when it has none on this page' }),
  }).meta({ id: 'GeneralLedgerAccountSection' })),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int().meta({ description: 'Posted lines of every account in the report: the pages count these' }),
  accountCount: z.number().int().meta({ description: 'Accounts in the report, over every page' }),
}).meta({
  id: 'GeneralLedgerAccounts',
  description: 'Without `accountId`: every account (or those from `fromCode` to `toCode`) with an opening balance or a posted line in the range, in code order, each with its opening balance, lines and closing balance on its normal side. Paged by lines in that order: a page carries the accounts its lines fall in',
})

const AgingFigures = {
  current: z.string().meta({ description: 'Not yet due (credits: dated on `asOf` … today)' }), days1to30: z.string(), days31to60: z.string(), days61to90: z.string(),
  over90: z.string(), total: z.string(),
}
/** An aging's drill-down document: `kinds` are its side's (invoices, credit notes, receipts; bills). */
function agingDocument<const K extends readonly [string, ...string[]]>(id: string, kinds: K, what: string) {
  return z.object({
    id: Uuid, kind: z.enum(kinds), number: z.string(), date: z.string(), dueDate: z.string().nullable(),
    daysPastDue: z.number().int().meta({ description: `\`asOf\` − due date (${what})` }),
    bucket: z.enum(['current', 'days1to30', 'days31to60', 'days61to90', 'over90']),
    openAmount: z.string().meta({ description: 'Open on `asOf` in the document\'s currency; negative for a credit or a payment' }),
    currency: z.string(),
    openBase: z.string().meta({ description: '`openAmount` × the document\'s exchange rate, rounded half-up to the base currency\'s minor unit' }),
  }).meta({ id })
}
const ArAgingResponse = z.object({
  asOf: z.string(), currency: z.string(),
  customerId: Uuid.optional(),
  rows: z.array(z.object({ customerId: Uuid, name: z.string(), ...AgingFigures })),
  totals: z.object(AgingFigures),
  documents: z.array(agingDocument('ArAgingDocument', ['invoice', 'credit_note', 'receipt'], 'an invoice without one: its date; a credit note or receipt: `asOf` − its date')).optional()
    .meta({ description: 'With `customerId`: its open invoices, credit notes and receipts, oldest due first' }),
}).meta({ id: 'ArAging' })
const ApAgingResponse = z.object({
  asOf: z.string(), currency: z.string(),
  vendorId: Uuid.optional(),
  rows: z.array(z.object({ vendorId: Uuid, name: z.string(), ...AgingFigures })),
  totals: z.object(AgingFigures),
  documents: z.array(agingDocument('ApAgingDocument', ['bill', 'vendor_credit', 'bill_payment'], 'a bill\'s due date; a vendor credit or payment: `asOf` − its date')).optional()
    .meta({ description: 'With `vendorId`: its open bills, vendor credits and payments, oldest due first' }),
}).meta({ id: 'ApAging' })
const TaxSummaryResponse = z.object({
  from: z.string(), to: z.string(), currency: z.string(),
  rows: z.array(z.object({
    taxRateId: Uuid, code: z.string(), name: z.string(), rate: z.string(), salesNet: z.string(), salesTax: z.string(),
    purchasesNet: z.string().meta({ description: 'Net of the bills posted in the range with this rate (base currency)' }),
    purchasesTax: z.string().meta({ description: 'Purchase tax on them: every component of a bill\'s rate is posted to its tax account (recoverable)' }),
  })),
  totals: z.object({ salesNet: z.string(), salesTax: z.string(), purchasesNet: z.string(), purchasesTax: z.string(), net: z.string().meta({ description: 'Sales tax − purchase tax (negative: a refund due)' }) }),
}).meta({ id: 'TaxSummary' })

const REPORT_FILES = Object.values(FILE_MEDIA_TYPES)

/**
 * A file (`format=csv|xlsx|pdf`) needs the catalog entry's `file` permission besides the route's
 * own (`json`), as an alsoRequires for defineApiHandler to check and the document to list.
 */
function filePermission(report: CatalogEntry): InputPermission[] {
  if (report.permissions.file === report.permissions.json) return []
  return [{
    permission: report.permissions.file,
    when: 'for a file (`format=csv|xlsx|pdf`)',
    applies: ({ query }) => (query as { format: string }).format !== 'json',
  }]
}

/** A report route's contract, from its catalog entry: the query, the summary and both permissions. */
function reportContract<N extends ReportName, R extends z.ZodType>(name: N, operationId: string, response: R) {
  const report = REPORT_CATALOG[name]
  return defineContract({
    operationId, method: 'get', path: `/api/v1/reports/${name}`, tag: 'Reports', audience: 'tenant',
    permission: report.permissions.json, alsoRequires: filePermission(report),
    summary: `${report.summary} \`format=csv|xlsx|pdf\` answers the file.`,
    query: report.query, response, produces: REPORT_FILES,
    ...(name === 'general-ledger' ? { errors: ['REPORT_TOO_LARGE'] } : {}),
  })
}

export const reportContracts = {
  'trial-balance': reportContract('trial-balance', 'getTrialBalance', TrialBalanceResponse),
  'balance-sheet': reportContract('balance-sheet', 'getBalanceSheet', BalanceSheetResponse),
  'income-statement': reportContract('income-statement', 'getIncomeStatement', IncomeStatementResponse),
  'cash-flow': reportContract('cash-flow', 'getCashFlowStatement', CashFlowResponse),
  'general-ledger': reportContract('general-ledger', 'getGeneralLedger', z.union([GeneralLedgerResponse, GeneralLedgerAccounts])),
  'ar-aging': reportContract('ar-aging', 'getArAging', ArAgingResponse),
  'ap-aging': reportContract('ap-aging', 'getApAging', ApAgingResponse),
  'tax-summary': reportContract('tax-summary', 'getTaxSummary', TaxSummaryResponse),
} satisfies Record<ReportName, unknown>
