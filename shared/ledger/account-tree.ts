/**
 * The chart of accounts as a tree: one pure function for the server, where a parent's balance is
 * its subtree's total (server/domain/ledger/accounts.ts), and for the pages, which show the chart
 * in tree order (composables/ledger/useLedger.ts). No imports: server, worker and browser alike
 * (`#shared/ledger/account-tree` in Nuxt code, a relative path in framework-free code).
 */

/** What the tree needs of an account. */
export interface TreeAccount { id: string, parentId: string | null, code: string }

export interface AccountTreeRow<T extends TreeAccount> {
  account: T
  /** 0 at the top level, one more per ancestor shown above it. */
  depth: number
  /** The account it is shown under: its parent, or null at the top level. */
  parentId: string | null
  /** Whether any account is shown under it. */
  hasChildren: boolean
}

/** By code, in UTF-16 code-unit order: the same order in every runtime, whatever its locale. */
const byCode = (x: TreeAccount, y: TreeAccount) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0)

/**
 * The accounts in tree order: each parent followed by its children, siblings by code, every account
 * exactly once with its depth. An account whose parent is not in the list (filtered out) shows at
 * the top level. The chart never holds a loop (accounts.ts refuses a parent under its own child);
 * should a list hold one anyway, the loop's lowest code shows at the top level with the rest of
 * the loop under it, so the walk always ends and nothing is dropped.
 */
export function arrangeAccountTree<T extends TreeAccount>(accounts: readonly T[]): AccountTreeRow<T>[] {
  const byId = new Map(accounts.map(a => [a.id, a]))
  const children = new Map<string | null, T[]>()
  for (const a of [...accounts].sort(byCode)) {
    const parent = a.parentId && byId.has(a.parentId) ? a.parentId : null
    const siblings = children.get(parent)
    if (siblings) siblings.push(a)
    else children.set(parent, [a])
  }
  const rows: AccountTreeRow<T>[] = []
  const shown = new Map<string, AccountTreeRow<T>>()
  // Depth first with a stack of its own: a deep chart cannot overflow the call stack.
  const walk = (root: T) => {
    const stack: { account: T, depth: number, parentId: string | null }[] = [{ account: root, depth: 0, parentId: null }]
    while (stack.length) {
      const next = stack.pop()!
      if (shown.has(next.account.id)) continue
      const row = { ...next, hasChildren: false }
      rows.push(row)
      shown.set(row.account.id, row)
      if (row.parentId) shown.get(row.parentId)!.hasChildren = true
      const under = children.get(row.account.id) ?? []
      for (let i = under.length - 1; i >= 0; i--) stack.push({ account: under[i]!, depth: row.depth + 1, parentId: row.account.id })
    }
  }
  for (const root of children.get(null) ?? []) walk(root)
  // Whatever is left hangs from a loop: find the loop by following parents, and start at its lowest code.
  for (const a of [...accounts].sort(byCode)) {
    if (shown.has(a.id)) continue
    const path: T[] = []
    let cursor: T | undefined = a
    while (cursor && !path.includes(cursor)) {
      path.push(cursor)
      cursor = cursor.parentId ? byId.get(cursor.parentId) : undefined
    }
    const loop = cursor ? path.slice(path.indexOf(cursor)) : path
    walk(loop.sort(byCode)[0]!)
  }
  return rows
}

/**
 * Each account's own value added to those of everything shown under it, by id: a parent's total is
 * its subtree's. `rows` is a tree from arrangeAccountTree; `add` keeps the arithmetic the
 * caller's (decimals on the server).
 */
export function subtreeTotals<T extends TreeAccount, V>(rows: readonly AccountTreeRow<T>[], own: (account: T) => V, add: (x: V, y: V) => V): Map<string, V> {
  const totals = new Map<string, V>()
  const underSums = new Map<string, V>()
  // In tree order every account comes after its parent, so backwards each child is summed before its parent.
  for (let i = rows.length - 1; i >= 0; i--) {
    const { account, parentId } = rows[i]!
    const under = underSums.get(account.id)
    const total = under === undefined ? own(account) : add(own(account), under)
    totals.set(account.id, total)
    if (parentId) {
      const sibling = underSums.get(parentId)
      underSums.set(parentId, sibling === undefined ? total : add(sibling, total))
    }
  }
  return totals
}
