/**
 * What each report is: its name (the route `/api/v1/reports/<name>` and the export's `report`),
 * title, parameters, permissions and how a schedule fills its dates. Pure (zod only, no database
 * or framework imports), so the route contracts, the forms and the pages read the same list; how
 * each report is computed and laid out as a table is its entry in registry.ts.
 */
import { z } from 'zod'
import { AccountingDate } from '../dates'
import type { Permission } from '../identity/rbac'
import { COMPARE_BASES } from './periods'

/** The most lines one page of the general ledger carries. */
export const GL_MAX_PAGE_SIZE = 5000

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const
export type ReportFileFormat = Exclude<typeof REPORT_FORMATS[number], 'json'>
export const FILE_FORMATS = ['csv', 'xlsx', 'pdf'] as const satisfies readonly ReportFileFormat[]

const Uuid = z.uuid({ message: 'must be a UUID' })
const Flag = z.enum(['true', 'false']).transform(v => v === 'true').optional()
/** Zero rows are left out unless asked for. */
const IncludeZero = Flag.meta({ description: '`true` lists accounts whose figures are all zero too (left out by default)' })
/**
 * A date that is today when omitted. Filled in by a transform rather than a default, which would
 * print the day the OpenAPI document was built into it as the parameter's default.
 */
const DateOrToday = AccountingDate.optional().transform(date => date ?? new Date().toISOString().slice(0, 10)).meta({ description: 'Today when omitted' })
/** JSON by default; a file with `csv`, `xlsx` or `pdf` (needs the report's file permission). */
const Format = z.enum(REPORT_FORMATS).default('json')
const Paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(GL_MAX_PAGE_SIZE).default(500),
}

interface ReportSpec<N extends string, S extends z.ZodRawShape, X extends z.ZodRawShape> {
  name: N
  /** The report's human name: page titles, notifications, the exports and schedules lists. */
  title: string
  /** The route's one-line description in the API reference. */
  summary: string
  /** The report's own query parameters (no format, no paging). */
  params: S
  /** Query parameters of the JSON answer only (the general ledger's paging); a file has every row. */
  jsonOnly?: X
  /**
   * Whether schedules can run it, and how a run fills omitted dates: `asOf` the run date, `range`
   * the previous full month; left out, the report cannot be scheduled.
   */
  schedule?: 'asOf' | 'range'
  /**
   * JSON needs `json`; a file (`format=csv|xlsx|pdf`) needs `file` as well, and so does an export
   * of the report. Stated only here: the route contracts (server/contracts/reports.ts, exports.ts)
   * turn it into what defineApiHandler checks and the API document lists.
   */
  permissions?: { json: Permission, file: Permission }
}

const PERMISSIONS = { json: 'reports:read', file: 'reports:export' } as const satisfies { json: Permission, file: Permission }

/**
 * The exports' own permission: the `/api/v1/exports` routes (server/contracts/exports.ts) and the
 * Exports page. A report's files need it by default (its `permissions.file`); a report whose files
 * need another one needs that as well to be exported.
 */
export const EXPORTS_PERMISSION = PERMISSIONS.file

function defineReport<const N extends string, S extends z.ZodRawShape, X extends z.ZodRawShape = Record<never, never>>(spec: ReportSpec<N, S, X>) {
  return {
    ...spec,
    permissions: spec.permissions ?? PERMISSIONS,
    /** The route's query: the parameters, paging where the report has it, and the format. */
    query: z.object({ ...spec.params, ...(spec.jsonOnly ?? {}) as X, format: Format }),
    /** The parameters of a file (exports, schedules): strict, so an unknown one is refused rather than dropped. */
    fileParams: z.object(spec.params).strict(),
  }
}

const AsOf = { asOf: DateOrToday, includeZero: IncludeZero }

/** The most columns an income statement by month or quarter has (besides its total). */
export const MAX_STATEMENT_COLUMNS = 24
export const STATEMENT_COLUMNS = ['month', 'quarter'] as const
export type StatementColumns = typeof STATEMENT_COLUMNS[number]

/** An account code as the chart writes them; a general ledger's code range compares codes as text. */
const AccountCode = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$/, 'must be an account code: 1–20 letters, digits, dots or hyphens')

export const REPORT_CATALOG = {
  'trial-balance': defineReport({
    name: 'trial-balance', title: 'Trial balance', schedule: 'asOf', params: AsOf,
    summary: 'Trial balance as of a date (base currency); abnormal balances flagged.',
  }),
  'balance-sheet': defineReport({
    name: 'balance-sheet', title: 'Balance sheet', schedule: 'asOf',
    params: {
      ...AsOf, compareAsOf: AccountingDate.optional().meta({ description: 'A comparative date: every row then has its comparative amount, variance and variance %' }),
      columns: z.enum(STATEMENT_COLUMNS, { message: 'must be month or quarter' }).optional()
        .meta({ description: `\`month\` or \`quarter\`: the balance sheet as of each month or calendar-quarter end from \`from\` to \`asOf\` (the last column as of \`asOf\` itself), at most ${MAX_STATEMENT_COLUMNS}, in \`columns\`. Not with \`compareAsOf\`` }),
      from: AccountingDate.optional().meta({ description: 'With `columns`: where the first period starts (the start of the fiscal year of `asOf` when omitted)' }),
    },
    summary: 'Balance sheet as of a date, with prior-years and current-year earnings in equity; optionally compared with another date.',
  }),
  'income-statement': defineReport({
    name: 'income-statement', title: 'Income statement', schedule: 'range',
    params: {
      from: AccountingDate, to: AccountingDate,
      compare: z.enum(COMPARE_BASES, { message: 'must be previous-period or previous-year' }).optional()
        .meta({ description: '`previous-period`: the period of the same length just before (whole months step back by months); `previous-year`: the same dates a year earlier. Every row then has its comparative amount, variance and variance %' }),
      compareFrom: AccountingDate.optional(), compareTo: AccountingDate.optional(), includeZero: IncludeZero,
      columns: z.enum(STATEMENT_COLUMNS, { message: 'must be month or quarter' }).optional()
        .meta({ description: `\`month\` or \`quarter\` (calendar quarters): one column per period of the range (the first and last clipped to it), at most ${MAX_STATEMENT_COLUMNS}, in \`columns\`; the statement itself is the total column. Not with a comparison` }),
    },
    summary: 'Income statement for a range by section (revenue, cost of sales, gross profit, operating expenses, operating profit, other income and expenses, net income), optionally compared; closing entries left out.',
  }),
  'cash-flow': defineReport({
    name: 'cash-flow', title: 'Cash-flow statement', schedule: 'range',
    params: { from: AccountingDate, to: AccountingDate },
    summary: 'Cash-flow statement (indirect method); net change equals the change in cash and bank.',
  }),
  'general-ledger': defineReport({
    name: 'general-ledger', title: 'General ledger', schedule: 'range',
    params: {
      accountId: Uuid.optional().meta({ description: 'One account: the answer is that account\'s ledger (`GeneralLedger`). Left out: every account, or those from `fromCode` to `toCode` (`GeneralLedgerAccounts`)' }),
      fromCode: AccountCode.optional().meta({ description: 'Without `accountId`: the first account code of the range (inclusive, codes compared as text)' }),
      toCode: AccountCode.optional().meta({ description: 'Without `accountId`: the last account code of the range (inclusive)' }),
      from: AccountingDate.optional(), to: DateOrToday,
    },
    jsonOnly: Paging,
    summary: 'Posted lines of one account (`accountId`), or of every account or a range of codes (`fromCode`, `toCode`) account by account, with opening, running and closing balances (paged by lines; files carry every line).',
  }),
  'ar-aging': defineReport({
    name: 'ar-aging', title: 'Aged receivables', schedule: 'asOf',
    params: {
      asOf: DateOrToday,
      customerId: Uuid.optional().meta({ description: 'One customer: its row, and `documents`, the invoices, credit notes and receipts open on `asOf` (the drill-down)' }),
    },
    permissions: { json: 'ar:read', file: 'ar:read' },
    summary: 'Aged receivables as of a date, per customer in base currency: what is open by days past due (current, 1–30, 31–60, 61–90, over 90; unallocated credits by their date); `customerId` adds that customer\'s open documents.',
  }),
  'ap-aging': defineReport({
    name: 'ap-aging', title: 'Aged payables', schedule: 'asOf',
    params: {
      asOf: DateOrToday,
      vendorId: Uuid.optional().meta({ description: 'One vendor: its row, and `documents`, the bills, vendor credits and payments open on `asOf` (the drill-down)' }),
    },
    permissions: { json: 'ap:read', file: 'ap:read' },
    summary: 'Aged payables as of a date, per vendor in base currency: what is owed by days past due (current, 1–30, 31–60, 61–90, over 90; unallocated vendor credits and payments by their date); `vendorId` adds that vendor\'s open documents.',
  }),
  'tax-summary': defineReport({
    name: 'tax-summary', title: 'Tax summary', schedule: 'range',
    params: { from: AccountingDate, to: AccountingDate },
    permissions: { json: 'tax:read', file: 'tax:read' },
    summary: 'Tax per tax rate on the sales documents issued and the bills posted in a range, in base currency (credits negative, a void reversing in the period of its date); `net` = sales tax − purchase tax (negative: a refund due).',
  }),
}

export type ReportName = keyof typeof REPORT_CATALOG
export type CatalogEntry<N extends ReportName = ReportName> = typeof REPORT_CATALOG[N]
/** Every report, in menu order. */
export const REPORT_NAMES = Object.keys(REPORT_CATALOG) as [ReportName, ...ReportName[]]
export const REPORTS: CatalogEntry[] = Object.values(REPORT_CATALOG)

/** The report's human name (`Trial balance`), or the name itself for a report no longer known. */
export function reportTitle(name: string): string {
  return (REPORT_CATALOG as Record<string, CatalogEntry | undefined>)[name]?.title ?? name
}
