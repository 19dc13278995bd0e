import { z } from 'zod'
import { defineContract, Uuid } from './define'
import { AccountingDate } from './ledger'

/** JSON by default; a file (needs `reports:export`) with `csv`, `xlsx` or `pdf`. */
const Format = z.enum(['json', 'csv', 'xlsx', 'pdf']).default('json')
const Flag = z.enum(['true', 'false']).transform(v => v === 'true').optional()
/** Matches GL_MAX_PAGE_SIZE in server/domain/reports/statements.ts (kept apart: pages import contracts). */
const GL_MAX_PAGE_SIZE = 5000
const today = () => new Date().toISOString().slice(0, 10)

const DrillDown = z.object({ accountId: Uuid, from: z.string().nullable(), to: z.string() })
const StatementRow = z.object({ accountId: Uuid.nullable(), code: z.string().nullable(), name: z.string(), subtype: z.string().nullable(), amount: z.string(), drillDown: DrillDown.nullable() })
const Section = z.object({ rows: z.array(StatementRow), total: z.string() })

export const TrialBalanceQuery = z.object({ asOf: AccountingDate.default(today), includeZero: Flag, format: Format })
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
  to: AccountingDate.default(today),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(GL_MAX_PAGE_SIZE).default(500),
  format: Format,
})

const TrialBalanceResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  rows: z.array(z.object({ accountId: Uuid, code: z.string(), name: z.string(), type: z.string(), subtype: z.string(), debit: z.string(), credit: z.string(), abnormal: z.boolean(), drillDown: DrillDown })),
  totals: z.object({ debit: z.string(), credit: z.string() }),
})
const BalanceSheetResponse = z.object({ asOf: z.string(), currency: z.string(), fiscalYearStart: z.string(), assets: Section, liabilities: Section, equity: Section, totalLiabilitiesAndEquity: z.string() })
const IncomeFigures = z.object({ from: z.string(), to: z.string(), revenue: Section, expenses: Section, netIncome: z.string() })
const IncomeStatementResponse = IncomeFigures.extend({ currency: z.string(), comparative: IncomeFigures.optional() })
const CashFlowResponse = z.object({
  from: z.string(), to: z.string(), currency: z.string(), netIncome: z.string(),
  operating: Section, investing: Section, financing: Section, netChange: z.string(), openingCash: z.string(), closingCash: z.string(),
})
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
})

const FILES = ' `format=csv|xlsx|pdf` answers the file (needs reports:export).'

export const reportContracts = {
  trialBalance: defineContract({ method: 'get', path: '/api/v1/reports/trial-balance', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Trial balance as of a date (base currency); abnormal balances flagged.${FILES}`, query: TrialBalanceQuery, response: TrialBalanceResponse }),
  balanceSheet: defineContract({ method: 'get', path: '/api/v1/reports/balance-sheet', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Balance sheet as of a date, with prior-years and current-year earnings in equity.${FILES}`, query: BalanceSheetQuery, response: BalanceSheetResponse }),
  incomeStatement: defineContract({ method: 'get', path: '/api/v1/reports/income-statement', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Income statement for a range, with an optional comparative range; closing entries left out.${FILES}`, query: IncomeStatementQuery, response: IncomeStatementResponse }),
  cashFlow: defineContract({ method: 'get', path: '/api/v1/reports/cash-flow', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Cash-flow statement (indirect method); net change equals the change in cash and bank.${FILES}`, query: CashFlowQuery, response: CashFlowResponse }),
  generalLedger: defineContract({ method: 'get', path: '/api/v1/reports/general-ledger', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: `Posted lines of one account with opening, running and closing balance (paged; files carry every line).${FILES}`, query: GeneralLedgerQuery, response: GeneralLedgerResponse, errors: ['REPORT_TOO_LARGE'] }),
}
