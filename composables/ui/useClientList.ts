import type { MaybeRefOrGetter } from 'vue'
import { compareDecimalStrings, isDecimalString } from '#shared/format/number'
import type { ListQuery } from './useDataTable'

type SortValue = string | number | null | undefined

export interface ClientListOptions<T> {
  /** The texts the search (`q`) looks in, case-insensitively; without it the search is not applied. */
  searchText?: (item: T) => SortValue[]
  /** A column's sort value, where it is not the item's own property of the column's key (decimal strings already sort by value). */
  sortValue?: Partial<Record<string, (item: T) => SortValue>>
}

/** What the client-side mode reads of a list query: the filters are the caller's. */
type ClientQuery = Pick<ListQuery<never>, 'page' | 'pageSize' | 'sort' | 'q'>

const isEmpty = (value: SortValue) => value === null || value === undefined || value === ''

function compare(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  // Amounts and rates travel as decimal strings: ordered by value, never through a JS number.
  if (typeof a === 'string' && typeof b === 'string' && isDecimalString(a) && isDecimalString(b)) return compareDecimalStrings(a, b)
  return String(a).localeCompare(String(b), 'en', { numeric: true })
}

/**
 * A list endpoint's query applied in the browser to a list the API returns whole (no server
 * paging): the search, the sort (`key:asc|desc`, stable, empty values last) and the page. Filters
 * other than `q` are the caller's, applied to `items` first (or sent to the API). Pure.
 */
export function applyListQuery<T>(items: readonly T[], query: ClientQuery, options: ClientListOptions<T> = {}): { rows: T[], total: number } {
  let rows = [...items]
  const text = query.q?.trim().toLowerCase()
  const { searchText } = options
  if (text && searchText) rows = rows.filter(item => searchText(item).some(value => !isEmpty(value) && String(value).toLowerCase().includes(text)))
  if (query.sort) {
    const [key = '', order] = query.sort.split(':')
    const value = options.sortValue?.[key] ?? ((item: T) => (item as Record<string, SortValue>)[key])
    const sign = order === 'desc' ? -1 : 1
    rows.sort((a, b) => {
      const [va, vb] = [value(a), value(b)]
      // Empty values last, whichever the order.
      if (isEmpty(va) || isEmpty(vb)) return Number(isEmpty(va)) - Number(isEmpty(vb))
      return sign * compare(va, vb)
    })
  }
  const total = rows.length
  if (query.pageSize > 0) rows = rows.slice((query.page - 1) * query.pageSize, query.page * query.pageSize)
  return { rows, total }
}

/**
 * The client-side mode of the data table: `table` (a {@link useDataTable} state, kept in the URL
 * as for a server list) applied to `items`, the whole list as the API returned it. Bind `rows` and
 * `total` to `<UiDataTable>` as a server list's page and total.
 */
export function useClientList<T>(table: { query: { readonly value: ClientQuery } }, items: MaybeRefOrGetter<readonly T[]>, options: ClientListOptions<T> = {}) {
  const result = computed(() => applyListQuery(toValue(items), table.query.value, options))
  return { rows: computed(() => result.value.rows), total: computed(() => result.value.total) }
}
