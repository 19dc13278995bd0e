import { describe, expect, it } from 'vitest'
import { applyListQuery } from '../../composables/ui/useClientList'

interface Rate { id: string, currency: string, date: string, rate: string, note?: string | null }

const rates: Rate[] = [
  { id: 'a', currency: 'EUR', date: '2026-01-02', rate: '1.10', note: 'ecb' },
  { id: 'b', currency: 'GBP', date: '2026-01-01', rate: '1.27' },
  { id: 'c', currency: 'EUR', date: '2026-01-03', rate: '9.5', note: null },
  { id: 'd', currency: 'JPY', date: '2026-01-02', rate: '0.0067', note: 'manual' },
]
const ids = (result: { rows: Rate[] }) => result.rows.map(r => r.id)

describe('the data table\'s client-side mode (applyListQuery)', () => {
  it('sorts by a column either way, stably, with a value function where the property is not the order', () => {
    expect(ids(applyListQuery(rates, { page: 1, pageSize: 25, sort: 'date:desc' }))).toEqual(['c', 'a', 'd', 'b'])
    expect(ids(applyListQuery(rates, { page: 1, pageSize: 25, sort: 'date:asc' }))).toEqual(['b', 'a', 'd', 'c'])
    // Decimal strings sort as numbers through their value function.
    expect(ids(applyListQuery(rates, { page: 1, pageSize: 25, sort: 'rate:asc' }, { sortValue: { rate: r => Number(r.rate) } }))).toEqual(['d', 'a', 'b', 'c'])
    // Decimal strings sort by value on their own ('1.10' before '1.27' before '9.5'), exactly.
    expect(ids(applyListQuery(rates, { page: 1, pageSize: 25, sort: 'rate:asc' }))).toEqual(['d', 'a', 'b', 'c'])
    expect(ids(applyListQuery([{ ...rates[0]!, id: 'x', rate: '1.9' }, { ...rates[0]!, id: 'y', rate: '1.10' }, { ...rates[0]!, id: 'z', rate: '1.0000000000000000001' }], { page: 1, pageSize: 25, sort: 'rate:asc' }))).toEqual(['z', 'y', 'x'])
  })

  it('puts empty values last in both orders', () => {
    expect(ids(applyListQuery(rates, { page: 1, pageSize: 25, sort: 'note:asc' }))).toEqual(['a', 'd', 'b', 'c'])
    expect(ids(applyListQuery(rates, { page: 1, pageSize: 25, sort: 'note:desc' }))).toEqual(['d', 'a', 'b', 'c'])
  })

  it('searches the given texts case-insensitively and counts the matches before paging', () => {
    const result = applyListQuery(rates, { page: 2, pageSize: 1, q: 'eur', sort: 'date:asc' }, { searchText: r => [r.currency, r.note] })
    expect(result.total).toBe(2)
    expect(ids(result)).toEqual(['c'])
  })

  it('leaves the search alone without texts to search, and pages only when paged', () => {
    expect(applyListQuery(rates, { page: 1, pageSize: 25, q: 'nothing' }).total).toBe(4)
    expect(ids(applyListQuery(rates, { page: 2, pageSize: 3 }))).toEqual(['d'])
    expect(ids(applyListQuery(rates, { page: 1, pageSize: -1 }))).toEqual(['a', 'b', 'c', 'd'])
  })
})
