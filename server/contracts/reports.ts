import { z } from 'zod'
import { defineContract, FILE_MEDIA_TYPES, Uuid } from './define'
import { AccountingDate } from './ledger'

/** JSON by default; a file (needs `reports:export`) with `csv`, `xlsx` or `pdf`. */
const Format = z.enum(['json', 'csv', 'xlsx', 'pdf']).default('json')
const Flag = z.enum(['true', 'false']).transform(v => v === 'true').optional()
/** Matches GL_MAX_PAGE_SIZE in server/domain/reports/statements.ts (kept apart: pages import contracts). */
const GL_MAX_PAGE_SIZE = 5000
/**
 * A date that is today when omitted. Filled in by a transform rather than a default, which would
 * print the day the OpenAPI document was built into it as the parameter's default.
 */
const DateOrToday = AccountingDate.optional().transform(date => date ?? new Date().toISOString().slice(0, 10)).meta({ description: 'Today when omitted' })

const DrillDown = z.object({ accountId: Uuid, from: z.string().nullable(), to: z.string() }).meta({ id: 'DrillDown' })
const StatementRow = z.object({ accountId: Uuid.nullable(), code: z.string().nullable(), name: z.string(), subtype: z.string().nullable(), amount: z.string(), drillDown: DrillDown.nullable() }).meta({ id: 'StatementRow' })
const Section = z.object({ rows: z.array(StatementRow), total: z.string() }).meta({ id: 'StatementSection' })

export const TrialBalanceQuery = z.object({ asOf: DateOrToday, includeZero: Flag, format: Format })
export const BalanceSheetQuery = TrialBalanceQuery
export const IncomeStatementQuery = z.object({
  from: AccountingDate,
  to: AccountingDate,
  compareFrom: AccountingDate.optional(),
  compareTo: AccountingDate.optional(),
  includeZero: Flag,
  format: Format,
})
export const CashFlowQuery = z.object({ from: AccountingDate, to: AccountingDate, format: Format })
export const GeneralLedgerQuery = z.object({
  accountId: Uuid,
  from: AccountingDate.optional(),
  to: DateOrToday,
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(GL_MAX_PAGE_SIZE).default(500),
  format: Format,
})

const TrialBalanceResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  rows: z.array(z.object({ accountId: Uuid, code: z.string(), name: z.string(), type: z.string(), subtype: z.string(), debit: z.string(), credit: z.string(), abnormal: z.boolean(), drillDown: DrillDown })),
  totals: z.object({ debit: z.string(), credit: z.string() }),
}).meta({ id: 'TrialBalance' })
const BalanceSheetResponse = z.object({ asOf: z.string(), currency: z.string(), fiscalYearStart: z.string(), assets: Section, liabilities: Section, equity: Section, totalLiabilitiesAndEquity: z.string() }).meta({ id: 'BalanceSheet' })
const IncomeFigures = z.object({ from: z.string(), to: z.string(), revenue: Section, expenses: Section, netIncome: z.string() })
const IncomeStatementResponse = IncomeFigures.extend({ currency: z.string(), comparative: IncomeFigures.optional() }).meta({ id: 'IncomeStatement' })
const CashFlowResponse = z.object({
  from: z.string(), to: z.string(), currency: z.string(), netIncome: z.string(),
  operating: Section, investing: Section, financing: Section, netChange: z.string(), openingCash: z.string(), closingCash: z.string(),
}).meta({ id: 'CashFlowStatement' })
const GeneralLedgerResponse = z.object({
  account: z.object({ id: Uuid, code: z.string(), name: z.string(), type: z.string(), subtype: z.string(), normalBalance: z.enum(['debit', 'credit']) }),
  currency: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  openingBalance: z.string(),
  rows: z.array(z.object({ date: z.string(), entryId: Uuid, number: z.number().int().nullable(), memo: z.string(), description: z.string().nullable(), debit: z.string(), credit: z.string(), balance: z.string() })),
  closingBalance: z.string(),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
}).meta({ id: 'GeneralLedger' })

const FILES = ' `format=csv|xlsx|pdf` answers the file (needs reports:export).'
const REPORT_FILES = Object.values(FILE_MEDIA_TYPES)

export const reportContracts = {
  trialBalance: defineContract({ operationId: 'getTrialBalance', method: 'get', path: '/api/v1/reports/trial-balance', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Trial balance as of a date (base currency); abnormal balances flagged.${FILES}`, query: TrialBalanceQuery, response: TrialBalanceResponse, produces: REPORT_FILES }),
  balanceSheet: defineContract({ operationId: 'getBalanceSheet', method: 'get', path: '/api/v1/reports/balance-sheet', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Balance sheet as of a date, with prior-years and current-year earnings in equity.${FILES}`, query: BalanceSheetQuery, response: BalanceSheetResponse, produces: REPORT_FILES }),
  incomeStatement: defineContract({ operationId: 'getIncomeStatement', method: 'get', path: '/api/v1/reports/income-statement', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Income statement for a range, with an optional comparative range; closing entries left out.${FILES}`, query: IncomeStatementQuery, response: IncomeStatementResponse, produces: REPORT_FILES }),
  cashFlow: defineContract({ operationId: 'getCashFlowStatement', method: 'get', path: '/api/v1/reports/cash-flow', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Cash-flow statement (indirect method); net change equals the change in cash and bank.${FILES}`, query: CashFlowQuery, response: CashFlowResponse, produces: REPORT_FILES }),
  generalLedger: defineContract({ operationId: 'getGeneralLedger', method: 'get', path: '/api/v1/reports/general-ledger', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Posted lines of one account with opening, running and closing balance (paged; files carry every line).${FILES}`, query: GeneralLedgerQuery, response: GeneralLedgerResponse, produces: REPORT_FILES, errors: ['REPORT_TOO_LARGE'] }),
}
