/**
 * The chart as a tree (shared/ledger/account-tree.ts), as the server totals it and the pages show
 * it: tree order with siblings by code, depth, accounts whose parent is missing, loops that a
 * chart must never hold but that cannot hang or drop the walk, and subtree totals.
 */
import { describe, expect, it } from 'vitest'
import { arrangeAccountTree, subtreeTotals, type TreeAccount } from '../../shared/ledger/account-tree'

/** An account whose id is its code (`parent` by code too). */
const acc = (code: string, parent: string | null = null): TreeAccount => ({ id: code, code, parentId: parent })
/** The tree as `code@depth` strings, in order. */
const shape = (accounts: TreeAccount[]) => arrangeAccountTree(accounts).map(r => `${r.account.code}@${r.depth}`)

describe('arrangeAccountTree', () => {
  it('puts each parent before its children, siblings by code, with their depth', () => {
    const chart = [acc('2000'), acc('1100', '1000'), acc('1000'), acc('1010', '1000'), acc('1011', '1010'), acc('2100', '2000')]
    expect(shape(chart)).toEqual(['1000@0', '1010@1', '1011@2', '1100@1', '2000@0', '2100@1'])
  })

  it('orders by code whatever order the list comes in, in code-unit order', () => {
    const chart = [acc('B'), acc('a'), acc('10'), acc('9'), acc('A')]
    // Digits before capitals before small letters; '10' before '9' (text, not numbers).
    expect(shape(chart)).toEqual(['10@0', '9@0', 'A@0', 'B@0', 'a@0'])
    expect(shape([...chart].reverse())).toEqual(shape(chart))
  })

  it('says which accounts have children and whom each row is shown under', () => {
    const rows = arrangeAccountTree([acc('1000'), acc('1010', '1000'), acc('2000')])
    expect(rows.map(r => [r.account.code, r.parentId, r.hasChildren])).toEqual([['1000', null, true], ['1010', '1000', false], ['2000', null, false]])
  })

  it('shows an account whose parent is not in the list at the top level, its own children still under it', () => {
    // 1000 was filtered out (or is missing): 1010 stands at the top, 1011 beneath it.
    const rows = arrangeAccountTree([acc('1011', '1010'), acc('1010', '1000'), acc('0900')])
    expect(rows.map(r => `${r.account.code}@${r.depth}`)).toEqual(['0900@0', '1010@0', '1011@1'])
    expect(rows[1]!.parentId).toBeNull()
  })

  it('returns nothing for an empty chart, and each account once', () => {
    expect(arrangeAccountTree([])).toEqual([])
    const chart = Array.from({ length: 50 }, (_, i) => acc(String(1000 + i), i ? String(1000 + Math.floor((i - 1) / 3)) : null))
    const rows = arrangeAccountTree(chart)
    expect(new Set(rows.map(r => r.account.id)).size).toBe(50)
    // Every row comes after its parent, one level deeper.
    const at = new Map(rows.map((r, i) => [r.account.id, i]))
    for (const r of rows.filter(r => r.parentId)) {
      expect(at.get(r.parentId!)).toBeLessThan(at.get(r.account.id)!)
      expect(r.depth).toBe(rows[at.get(r.parentId!)!]!.depth + 1)
    }
  })

  it('walks a chain thousands deep without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => acc(String(i).padStart(6, '0'), i ? String(i - 1).padStart(6, '0') : null))
    const rows = arrangeAccountTree(chain)
    expect(rows).toHaveLength(20_000)
    expect(rows.at(-1)!.depth).toBe(19_999)
  })

  describe('a loop cannot hang the walk or drop an account', () => {
    it('breaks a loop of two at its lowest code', () => {
      expect(shape([acc('2000', '1000'), acc('1000', '2000')])).toEqual(['1000@0', '2000@1'])
    })

    it('breaks an account that is its own parent', () => {
      const rows = arrangeAccountTree([acc('1000', '1000')])
      expect(rows.map(r => [r.account.code, r.depth, r.parentId, r.hasChildren])).toEqual([['1000', 0, null, false]])
    })

    it('keeps what hangs from a loop under it, and the sound part of the chart as it is', () => {
      // 3000 → 3100 → 3200 → 3000 is a loop; 3300 hangs from 3200; 0100 is an ordinary top account.
      const chart = [acc('3300', '3200'), acc('3100', '3000'), acc('3200', '3100'), acc('3000', '3200'), acc('0100')]
      expect(shape(chart)).toEqual(['0100@0', '3000@0', '3100@1', '3200@2', '3300@3'])
    })
  })
})

describe('subtreeTotals', () => {
  it('gives each account its own value plus everything under it', () => {
    const chart = [acc('1000'), acc('1010', '1000'), acc('1011', '1010'), acc('1012', '1010'), acc('1100', '1000'), acc('2000')]
    const own: Record<string, number> = { 1000: 0, 1010: 1, 1011: 10, 1012: 100, 1100: 1000, 2000: 7 }
    const totals = subtreeTotals(arrangeAccountTree(chart), a => own[a.code]!, (x, y) => x + y)
    expect(Object.fromEntries(totals)).toEqual({ 1000: 1111, 1010: 111, 1011: 10, 1012: 100, 1100: 1000, 2000: 7 })
  })

  it('totals a missing parent\'s children under the account they are shown under, and ends on a loop', () => {
    const totals = subtreeTotals(arrangeAccountTree([acc('1010', '1000'), acc('1011', '1010'), acc('2000', '3000'), acc('3000', '2000')]), () => 1, (x, y) => x + y)
    expect(Object.fromEntries(totals)).toEqual({ 1010: 2, 1011: 1, 2000: 2, 3000: 1 })
  })
})
