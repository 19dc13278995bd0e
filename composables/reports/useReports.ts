import type { MaybeRefOrGetter } from 'vue'
import { REPORTS, type ReportName } from '~~/server/domain/reports/catalog'
import type { DashboardSummary, DrillDown, ReportFormat } from '#shared/types/reports'

/*
 * Financial statements (`/api/v1/reports/*`, SPEC 5 and 6.4). Amounts are decimal strings in the
 * tenant's base currency. Every report also answers `&format=csv|xlsx|pdf` with a file. The
 * answers' types are the route contracts' (shared/types/reports.ts), re-exported for the pages.
 */
export type {
  BalanceSheet, CashFlowStatement, Comparison, DrillDown, GeneralLedger, GeneralLedgerAccounts, GeneralLedgerAccountSection, GeneralLedgerRow,
  IncomeColumn, IncomeFigures, IncomeStatement,
  ArAging, ApAging, TaxSummary, CustomerStatement, VendorStatement,
  ReportFormat, ReportResponse, StatementFigure, StatementRow, StatementSection, TrialBalance, TrialBalanceRow,
} from '#shared/types/reports'

/**
 * Every report, from the server's report catalog (server/domain/reports/catalog.ts): its page,
 * title and the permissions its JSON and its files need. A report added there is listed here.
 */
export const REPORT_LIST = REPORTS.map(r => ({ name: r.name, title: r.title, to: `/reports/${r.name}`, permissions: r.permissions }))

/** The aging buckets in order, as the aging pages, drill-downs and the dashboard's charts label them. */
export const AGING_BUCKET_LABELS = [
  { key: 'current', label: 'Current' },
  { key: 'days1to30', label: '1–30 days' },
  { key: 'days31to60', label: '31–60 days' },
  { key: 'days61to90', label: '61–90 days' },
  { key: 'over90', label: 'Over 90 days' },
] as const

/** A report's title by name (`Trial balance`), for lists of exports and schedules. */
export const REPORT_TITLES: Record<string, string> = Object.fromEntries(REPORTS.map(r => [r.name, r.title]))

type ReportParams = Record<string, string | null | undefined>

function cleanParams(params: ReportParams): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => !!e[1]))
}

/** The file download of a report: a plain link, so the browser sends the session cookie itself. */
export function reportFileUrl(report: ReportName, params: ReportParams, format: ReportFormat): string {
  const search = new URLSearchParams({ ...cleanParams(params), format })
  return `/api/v1/reports/${report}?${search.toString()}`
}

/** The range ends of report parameters: `from`…`to`, `compareFrom`…`compareTo`, `fromCode`…`toCode`. */
const RANGES: [string, string][] = [['from', 'to'], ['compareFrom', 'compareTo'], ['fromCode', 'toCode']]

/**
 * True while some range of the parameters is reversed (From after To, both given): the server
 * would refuse it, and the page already says why beside the field (components/reports/DateField.vue).
 */
export function hasReversedRange(params: ReportParams): boolean {
  return RANGES.some(([from, to]) => !!params[from] && !!params[to] && params[from]! > params[to]!)
}

/**
 * One report, fetched when `ready` (its required parameters are filled) and no range is reversed,
 * and refetched when the parameters change; `null` until then.
 */
export function useReport<T>(report: ReportName, params: MaybeRefOrGetter<ReportParams>, ready: MaybeRefOrGetter<boolean> = true) {
  const api = useApi()
  const asking = computed(() => toValue(ready) && !hasReversedRange(toValue(params)))
  // The key changes with the parameters, which makes Nuxt fetch again.
  const key = computed(() => `report:${report}:${asking.value}:${JSON.stringify(cleanParams(toValue(params)))}`)
  return useAsyncData<T | null>(
    key,
    // Through `unknown`: comparing the typed-route response (inferred over every server route) with
    // Promise<T> directly grows too deep for TypeScript (TS2321) as routes are added.
    () => (asking.value ? api(`/api/v1/reports/${report}`, { query: cleanParams(toValue(params)) }) as unknown as Promise<T> : Promise.resolve(null)),
    { lazy: true },
  )
}

/**
 * A report's parameters, kept in the URL (`?asOf=…`) so a report can be bookmarked, shared and
 * reached by drill-down links; missing ones take their defaults.
 */
export function useReportParams<K extends string>(defaults: Record<K, string>): Record<K, string> {
  const route = useRoute()
  const router = useRouter()
  const read = (key: K) => {
    const value = route.query[key]
    const text = Array.isArray(value) ? value[0] : value
    return typeof text === 'string' ? text : defaults[key]
  }
  const params = reactive(Object.fromEntries(Object.keys(defaults).map(k => [k, read(k as K)]))) as Record<K, string>
  watch(params, () => {
    const query: Record<string, string> = {}
    for (const key of Object.keys(defaults) as K[]) {
      // An emptied field whose default is not empty stays in the URL as empty, or the default would return.
      if (params[key] || defaults[key]) query[key] = params[key] ?? ''
    }
    const others = Object.fromEntries(Object.entries(route.query).filter(([key]) => !(key in defaults)))
    router.replace({ query: { ...others, ...query } })
  }, { deep: true })
  return params
}

/** A yes/no report parameter (`'true'` or empty, as in the URL) as a boolean, for a switch. */
export function useFlagParam<K extends string>(params: Record<K, string>, key: K) {
  return computed({
    get: () => params[key] === 'true',
    set: (value: boolean) => { params[key] = value ? 'true' : '' },
  })
}

export type ColumnsChoice = '' | 'month' | 'quarter'

/**
 * A statement's `columns` parameter: one column (`''`), or one per month or quarter, titled
 * `titles`. `onChange` runs after each choice, for what a choice of columns turns off or on.
 */
export function useColumnsParam(params: { columns: string }, titles: { month: string, quarter: string }, onChange: (value: ColumnsChoice) => void) {
  const choices: { value: ColumnsChoice, title: string }[] = [
    { value: '', title: 'Single' },
    { value: 'month', title: titles.month },
    { value: 'quarter', title: titles.quarter },
  ]
  const byColumns = computed<ColumnsChoice>({
    get: () => (params.columns === 'month' || params.columns === 'quarter' ? params.columns : ''),
    set: (value) => {
      params.columns = value
      onChange(value)
    },
  })
  return { choices, byColumns }
}

/** A complete `YYYY-MM-DD` (a date field is `''` while being typed). */
export function isIsoDate(value: string | null | undefined): boolean {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value)
}

/**
 * The dashboard's figures in one request (`GET /api/v1/dashboard`, served from the report cache):
 * cash and bank to date and the last `months` calendar months' revenue, expenses and net income,
 * the current one to date. Loaded in the browser, so the dashboard renders without waiting for it.
 */
export function useDashboardSummary(months = 12) {
  const api = useApi()
  return useAsyncData<DashboardSummary>('dashboard:summary', () => api<DashboardSummary>('/api/v1/dashboard', { query: { asOf: todayIso(), months } }), { server: false, lazy: true })
}

/**
 * A row's drill-down: the API's own when it gives one, else the account's lines over the given
 * range; `null` for computed lines that have no account.
 */
export function drillDownOf(row: { accountId?: string | null, drillDown?: DrillDown | null }, from: string | null, to: string): DrillDown | null {
  if (row.drillDown) return row.drillDown
  return row.accountId ? { accountId: row.accountId, from, to } : null
}
