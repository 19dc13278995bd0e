import type { WritableComputedRef } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'

/** Vuetify's `sort-by` model. */
export type SortItem = { key: string, order?: boolean | 'asc' | 'desc' }

export interface DataTableOptions<F extends string> {
  /** The sort when the URL names none (left out of the URL); without it the list is not sortable. */
  sort?: { key: string, order: 'asc' | 'desc' }
  pageSize?: number
  /**
   * False for a short list shown whole (a chart of accounts, a year's periods): no pager, no
   * `page`/`pageSize` in the URL, and `itemsPerPage` is Vuetify's -1 (all rows).
   */
  paged?: boolean
  /** Filter names kept in the URL query beside `page`, `pageSize`, `sort` and `q`. */
  filters?: readonly F[]
  /** Milliseconds the search box waits before it filters. */
  debounce?: number
}

/**
 * A list endpoint's query (SPEC §5): paging, `field:asc|desc`, the search and the filters set.
 * `pageSize` is -1 for a list that is not paged (see {@link applyListQuery} for lists the browser
 * holds whole).
 */
export type ListQuery<F extends string> = { page: number, pageSize: number, sort?: string, q?: string } & Partial<Record<F, string>>

function sameQuery(a: LocationQueryRaw, b: LocationQueryRaw): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every(key => String(a[key]) === String(b[key]))
}

const first = (value: LocationQuery[string] | undefined) => (Array.isArray(value) ? value[0] : value) ?? undefined

/**
 * The state of a server-paginated list (SPEC §5: `?page=&pageSize=&sort=field:asc&q=` plus
 * filters), kept in the URL query: the URL is the only store, so reload, back/forward and a shared
 * link restore the page, sort, search and filters. Changing a filter or the search goes back to
 * page 1. `query` is what the list endpoint takes; pass it to the page's `useApiFetch`.
 */
export function useDataTable<F extends string = never>(options: DataTableOptions<F>) {
  const route = useRoute()
  const router = useRouter()
  const paged = options.paged ?? true
  const defaultPageSize = paged ? options.pageSize ?? 25 : -1
  const defaultSort = options.sort ? `${options.sort.key}:${options.sort.order}` : undefined

  function read(key: string): string | undefined {
    return first(route.query[key]) || undefined
  }

  /**
   * One history entry per change, so the back button steps through what the user did. The table
   * may send two changes in a row (a new sort, then page 1) before the route has moved: they merge
   * into the navigation in flight, and a change that changes nothing navigates nowhere.
   */
  let pending: LocationQueryRaw | null = null
  function write(patch: Record<string, string | null | undefined>, resetPage = true) {
    const base = pending ?? route.query
    const merged: LocationQueryRaw = { ...base, ...patch }
    if (resetPage && !('page' in patch)) merged.page = null
    const query = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null && value !== undefined && value !== ''))
    if (sameQuery(query, base)) return
    pending = query
    void router.push({ query }).finally(() => {
      if (pending === query) pending = null
    })
  }

  const page = computed<number>({
    get: () => (paged ? Math.max(1, Number.parseInt(read('page') ?? '1', 10) || 1) : 1),
    set: (value) => {
      if (paged) write({ page: value > 1 ? String(value) : null }, false)
    },
  })
  const itemsPerPage = computed<number>({
    get: () => (paged ? Number.parseInt(read('pageSize') ?? '', 10) || defaultPageSize : -1),
    set: (value) => {
      if (paged) write({ pageSize: value === defaultPageSize ? null : String(value) })
    },
  })
  const sort = computed(() => (defaultSort ? read('sort') ?? defaultSort : undefined))
  const sortBy = computed<SortItem[]>({
    get: () => {
      if (!sort.value) return []
      const [key = '', order] = sort.value.split(':')
      return [{ key, order: order === 'asc' ? 'asc' as const : 'desc' as const }]
    },
    set: (value: SortItem[]) => {
      const next = value[0]
      const text = next ? `${next.key}:${next.order === 'asc' ? 'asc' : 'desc'}` : defaultSort
      write({ sort: text === defaultSort ? null : text })
    },
  })

  /** The committed search (`q`); `search` is the box, which commits after a pause. */
  const q = computed(() => read('q') ?? '')
  const search = ref(q.value)
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(search, (value: string | null) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const text = (value ?? '').trim()
      if (text !== q.value) write({ q: text })
    }, options.debounce ?? 300)
  })
  // Back/forward: the box follows the URL.
  watch(q, (value: string) => {
    if (value !== (search.value ?? '').trim()) search.value = value
  })
  onScopeDispose(() => clearTimeout(timer))

  const filterNames = options.filters ?? []
  const filters = Object.fromEntries(filterNames.map(name => [name, computed<string | null>({
    get: () => read(name) ?? null,
    set: value => write({ [name]: value }),
  })])) as Record<F, WritableComputedRef<string | null>>

  const filtered = computed(() => !!q.value || filterNames.some(name => !!read(name)))

  /** The list endpoint's query (or {@link useClientList}'s): only what is set. */
  const query = computed(() => {
    const result = { page: page.value, pageSize: itemsPerPage.value } as ListQuery<F>
    if (sort.value) result.sort = sort.value
    if (q.value) result.q = q.value
    for (const name of filterNames) {
      const value = read(name)
      if (value) (result as Record<string, string | number>)[name] = value
    }
    return result
  })

  function clearFilters() {
    clearTimeout(timer)
    search.value = ''
    write(Object.fromEntries([['q', null], ...filterNames.map(name => [name, null])]))
  }

  /** Several filters at once, in one history entry (`null` clears one). */
  function setFilters(patch: Partial<Record<F, string | null>>) {
    write(patch)
  }

  return { page, itemsPerPage, sortBy, sort, search, q, filters, filtered, query, clearFilters, setFilters }
}

/** What a table binds to: the page, the page size and the sort. */
export interface DataTableModel {
  page: WritableComputedRef<number>
  itemsPerPage: WritableComputedRef<number>
  sortBy: WritableComputedRef<SortItem[]>
}
