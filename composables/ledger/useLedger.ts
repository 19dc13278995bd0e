import type { MaybeRefOrGetter } from 'vue'
import type { AccountType } from '~~/server/domain/ledger/chart'
import type { PagedList } from '~/composables/useApi'

import type { AccountInput, EntryInput, EntrySourceType, EntryStatus, ExchangeRate, FiscalPeriod, JournalEntry, JournalEntrySummary, LedgerAccount } from '#shared/types/ledger'

/** The chart in tree order (children under their parent, by code) with each account's depth: the server's tree too. */
export { arrangeAccountTree } from '#shared/ledger/account-tree'

export type { AccountInput, EntryInput, EntryLineInput, EntrySource, EntrySourceType, EntryStatus, ExchangeRate, FiscalPeriod, JournalEntry, JournalEntrySummary, JournalLine, LedgerAccount } from '#shared/types/ledger'

export const SOURCE_LABELS: Record<EntrySourceType, string> = {
  journal_entry: 'Reversal of an entry', revaluation: 'FX revaluation', fiscal_year: 'Year-end close',
  invoice: 'Invoice', credit_note: 'Credit note', receipt: 'Receipt', sales_allocation: 'Allocation', bill: 'Bill',
  vendor_credit: 'Vendor credit', bill_payment: 'Bill payment', purchase_allocation: 'Allocation', bank_account: 'Bank opening balance',
  bank_transaction: 'Bank line',
}

export interface EntryListQuery {
  page: number
  pageSize: number
  sort?: string
  q?: string
  from?: string
  to?: string
  status?: EntryStatus
  accountId?: string
  sourceType?: EntrySourceType
  sourceId?: string
}

/** Drops empty values so the query string carries only the filters in use. */
function compact<T extends object>(query: T): Partial<T> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')) as Partial<T>
}

/** The whole chart (a tenant's chart is small enough to filter and arrange in the browser). */
export function useLedgerAccounts(key = 'ledger-accounts') {
  return useApiFetch<{ data: LedgerAccount[] }>('/api/v1/accounts', { key, lazy: true })
}

/** One page of journal entries, refetched whenever the query changes. */
export function useJournalEntryList(query: MaybeRefOrGetter<EntryListQuery>) {
  return useApiFetch<PagedList<JournalEntrySummary>>('/api/v1/journal-entries', {
    query: computed(() => compact(toValue(query))),
    lazy: true,
  })
}

export function useJournalEntry(id: MaybeRefOrGetter<string>) {
  return useApiFetch<JournalEntry>(() => `/api/v1/journal-entries/${toValue(id)}`, { lazy: true })
}

export function useFiscalPeriods() {
  return useApiFetch<{ data: FiscalPeriod[] }>('/api/v1/fiscal-periods', { lazy: true })
}

export function useExchangeRates(currency: MaybeRefOrGetter<string | null | undefined>) {
  return useApiFetch<{ data: ExchangeRate[] }>('/api/v1/exchange-rates', {
    query: computed(() => compact({ currency: toValue(currency) ?? undefined })),
    lazy: true,
  })
}

/** Ledger changes; each throws the API's error for the caller to show. */
export function useLedgerActions() {
  const api = useApi()
  return {
    createAccount: (body: AccountInput) =>
      api<LedgerAccount>('/api/v1/accounts', { method: 'POST', body }),
    updateAccount: (account: Pick<LedgerAccount, 'id' | 'version'>, body: Partial<AccountInput>) =>
      api<LedgerAccount>(`/api/v1/accounts/${account.id}`, { method: 'PATCH', body: { ...body, version: account.version } }),
    createEntry: (body: EntryInput & { post?: boolean }) =>
      api<JournalEntry>('/api/v1/journal-entries', { method: 'POST', body }),
    updateEntry: (entry: Pick<JournalEntry, 'id' | 'version'>, body: EntryInput) =>
      api<JournalEntry>(`/api/v1/journal-entries/${entry.id}`, { method: 'PATCH', body: { ...body, version: entry.version } }),
    deleteEntry: (entry: Pick<JournalEntry, 'id'>) =>
      api(`/api/v1/journal-entries/${entry.id}`, { method: 'DELETE' }),
    postEntry: (entry: Pick<JournalEntry, 'id'>) =>
      api<JournalEntry>(`/api/v1/journal-entries/${entry.id}/post`, { method: 'POST' }),
    reverseEntry: (entry: Pick<JournalEntry, 'id'>, date?: string) =>
      api<JournalEntry>(`/api/v1/journal-entries/${entry.id}/reverse`, { method: 'POST', body: date ? { date } : {} }),
    closePeriod: (period: Pick<FiscalPeriod, 'id'>) =>
      api<FiscalPeriod>(`/api/v1/fiscal-periods/${period.id}/close`, { method: 'POST' }),
    reopenPeriod: (period: Pick<FiscalPeriod, 'id'>, reason?: string) =>
      api<FiscalPeriod>(`/api/v1/fiscal-periods/${period.id}/reopen`, { method: 'POST', body: reason ? { reason } : {} }),
    createRate: (body: { currency: string, date: string, rate: string }) =>
      api<ExchangeRate>('/api/v1/exchange-rates', { method: 'POST', body }),
  }
}

const TYPE_LABELS: Record<AccountType, string> = {
  asset: 'Asset', liability: 'Liability', equity: 'Equity', revenue: 'Revenue', expense: 'Expense',
}

export function accountTypeLabel(type: string): string {
  return TYPE_LABELS[type as AccountType] ?? type
}

/** `other_current_asset` → `Other current asset`. */
export function subtypeLabel(subtype: string): string {
  const text = subtype.replaceAll('_', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** `1010 · Bank account`: how an account reads in pickers and tables. */
export function accountLabel(account: Pick<LedgerAccount, 'code' | 'name'>): string {
  return `${account.code} · ${account.name}`
}

/** Today as `YYYY-MM-DD` in UTC, the calendar the API's accounting dates use. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10)
}

/** The first day of the month of an ISO date. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`
}

/** The last day of the month of an ISO date. */
export function monthEnd(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/** The start of the fiscal year containing an ISO date. */
export function fiscalYearStartOf(date: string, startMonth: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  const year = m >= startMonth ? y : y - 1
  return `${year}-${String(startMonth).padStart(2, '0')}-01`
}

/** Drill-down from a figure to the lines behind it. */
export function generalLedgerLink(accountId: string, from: string | null, to: string) {
  // An empty `from` (kept in the URL, so the page's default does not apply): every line since the first posting.
  return { path: '/reports/general-ledger', query: { accountId, from: from ?? '', to } }
}
