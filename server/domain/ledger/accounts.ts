/**
 * Chart of accounts. Codes are unique per tenant; parents are not posted to and show the totals of
 * their children. An account with posted lines keeps its type, currency and contra-ness, can be
 * deactivated only at zero balance, and is never deleted.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import { accountBalances, accounts, journalLines } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError, RuleError, ValidationError } from '../errors'
import { arrangeAccountTree, subtreeTotals } from '../../../shared/ledger/account-tree'
import { Dec, format } from '../money'
import { CONTRA_SUBTYPES, defaultSubtype, normalSign, STANDARD_CHART, subtypeFits, SYSTEM_ACCOUNTS, type AccountType, type ChartAccount } from './chart'

export type AccountRow = typeof accounts.$inferSelect

export interface Account {
  id: string
  code: string
  name: string
  type: AccountType
  subtype: string
  isContra: boolean
  normalBalance: 'debit' | 'credit'
  parentId: string | null
  currency: string | null
  isActive: boolean
  systemKey: string | null
  /** The AR or AP control account named in the settings: only subledger documents post to it. */
  isControl: boolean
  description: string | null
  isParent: boolean
  hasPostings: boolean
  /** Net posted balance in base currency, signed by the normal side (parents: their subtree's total). */
  balance: string
  version: number
  createdAt: Date
  updatedAt: Date
}

/**
 * Writes a chart into a new tenant: the system accounts always, the standard chart on request, and
 * the AR and AP control accounts — the standard chart's 1100 and 2000, or in a `none` chart new
 * ones (1190, 2090), by the same SQL function that gave existing tenants theirs (migration 0016).
 */
export async function seedChart(tx: Tx, tenantId: string, chart: 'standard' | 'none'): Promise<void> {
  const rows: ChartAccount[] = chart === 'standard' ? [...STANDARD_CHART, ...SYSTEM_ACCOUNTS] : SYSTEM_ACCOUNTS
  await tx.insert(accounts).values(rows.map(a => ({ tenantId, code: a.code, name: a.name, type: a.type, subtype: a.subtype, systemKey: a.systemKey ?? null })))
  await tx.execute(sql`select app_assign_control_accounts(${tenantId}::uuid)`)
}

/** Every account with its base balance and its subtree's total, in code order. */
export async function listAccounts(tx: Tx, query: { q?: string, type?: AccountType, active?: boolean } = {}): Promise<Account[]> {
  const rows = await tx.select().from(accounts).orderBy(asc(accounts.code))
  const sums = await tx.select({ accountId: accountBalances.accountId, debit: sql<string>`sum(${accountBalances.debit})`, credit: sql<string>`sum(${accountBalances.credit})` })
    .from(accountBalances).groupBy(accountBalances.accountId)
  const net = new Map(sums.map(s => [s.accountId, new Dec(s.debit).minus(s.credit)]))
  const tree = arrangeAccountTree(rows)
  const subtreeNet = subtreeTotals(tree, r => net.get(r.id) ?? new Dec(0), (x, y) => x.plus(y))
  const parents = new Set(tree.filter(t => t.hasChildren).map(t => t.account.id))
  const all = rows.map(r => present(r, subtreeNet.get(r.id)!, parents.has(r.id), net.has(r.id)))
  const like = query.q?.toLowerCase()
  return all.filter(a => (!like || a.code.toLowerCase().includes(like) || a.name.toLowerCase().includes(like))
    && (!query.type || a.type === query.type) && (query.active === undefined || a.isActive === query.active))
}

function present(r: AccountRow, netDebit: Dec, isParent: boolean, hasPostings: boolean): Account {
  const sign = normalSign(r.type, r.subtype)
  return {
    id: r.id, code: r.code, name: r.name, type: r.type, subtype: r.subtype,
    isContra: CONTRA_SUBTYPES.has(r.subtype), normalBalance: sign === 1 ? 'debit' : 'credit',
    parentId: r.parentId, currency: r.currency, isActive: r.isActive, systemKey: r.systemKey, isControl: r.isControl, description: r.description,
    isParent, hasPostings, balance: format(netDebit.times(sign), 2), version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}

export async function getAccount(tx: Tx, id: string): Promise<Account> {
  const found = (await listAccounts(tx)).find(a => a.id === id)
  if (!found) throw new NotFoundError('Account')
  return found
}

async function hasLines(tx: Tx, accountId: string): Promise<boolean> {
  const [row] = await tx.select({ one: sql`1` }).from(journalLines).where(eq(journalLines.accountId, accountId)).limit(1)
  return !!row
}

async function checkParent(tx: Tx, parentId: string | null | undefined, selfId?: string) {
  if (!parentId) return
  const [parent] = await tx.select().from(accounts).where(eq(accounts.id, parentId))
  if (!parent) throw new ValidationError('Parent account not found', { parentId: 'is not an account of this organisation' })
  if (parent.isControl) throw new RuleError('A control account cannot become a parent: it must stay postable', 'LEDGER_CONTROL_ACCOUNT', { parentId: 'is a control account' })
  if (await hasLines(tx, parentId)) throw new RuleError('An account with postings cannot become a parent', 'LEDGER_PARENT_HAS_POSTINGS', { parentId: 'has postings' })
  // No cycles: walk up from the new parent.
  let cursor: string | null = parent.id
  while (cursor) {
    if (cursor === selfId) throw new ValidationError('An account cannot be placed under itself', { parentId: 'would create a cycle' })
    const [up]: { parentId: string | null }[] = await tx.select({ parentId: accounts.parentId }).from(accounts).where(eq(accounts.id, cursor))
    cursor = up?.parentId ?? null
  }
}

export interface NewAccount { code: string, name: string, type: AccountType, subtype?: string, parentId?: string | null, currency?: string | null, isActive?: boolean, description?: string | null }

export async function createAccount(tx: Tx, tenantId: string, actor: Actor, input: NewAccount): Promise<Account> {
  const subtype = input.subtype ?? defaultSubtype(input.type)
  if (!subtypeFits(input.type, subtype)) throw new ValidationError('Subtype does not fit the type', { subtype: `is not a subtype of ${input.type}` }, 'INVALID_SUBTYPE')
  await checkParent(tx, input.parentId)
  try {
    const [row] = await tx.insert(accounts).values({
      tenantId, code: input.code, name: input.name, type: input.type, subtype,
      parentId: input.parentId ?? null, currency: input.currency ?? null, isActive: input.isActive ?? true, description: input.description ?? null,
    }).returning()
    await recordAudit(tx, tenantId, actor, { action: 'account.create', entityType: 'account', entityId: row!.id, after: row })
    return getAccount(tx, row!.id)
  }
  catch (err) {
    if (isUniqueViolation(err, 'accounts_code_key')) throw new ConflictError('An account with this code exists', 'ACCOUNT_CODE_TAKEN', { code: 'is already used' })
    throw err
  }
}

export type AccountPatch = Partial<NewAccount> & { version?: number }

export async function updateAccount(tx: Tx, tenantId: string, actor: Actor, id: string, patch: AccountPatch): Promise<Account> {
  const [before] = await tx.select().from(accounts).where(eq(accounts.id, id)).for('update')
  if (!before) throw new NotFoundError('Account')
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This account was changed by someone else; reload and try again', 'STALE_VERSION')
  const type = patch.type ?? before.type
  const subtype = patch.subtype ?? (patch.type && patch.type !== before.type ? defaultSubtype(type) : before.subtype)
  if (!subtypeFits(type, subtype)) throw new ValidationError('Subtype does not fit the type', { subtype: `is not a subtype of ${type}` }, 'INVALID_SUBTYPE')
  if (await hasLines(tx, id)) {
    if (type !== before.type) throw new RuleError('An account with postings keeps its type', 'LEDGER_ACCOUNT_HAS_POSTINGS', { type: 'cannot change after posting' })
    if (CONTRA_SUBTYPES.has(subtype) !== CONTRA_SUBTYPES.has(before.subtype)) throw new RuleError('An account with postings keeps its contra-ness', 'LEDGER_ACCOUNT_HAS_POSTINGS', { subtype: 'cannot switch between contra and normal after posting' })
    if (patch.currency !== undefined && patch.currency !== before.currency) throw new RuleError('An account with postings keeps its currency', 'LEDGER_ACCOUNT_HAS_POSTINGS', { currency: 'cannot change after posting' })
  }
  if (before.systemKey && (type !== before.type || subtype !== before.subtype || patch.isActive === false)) {
    throw new RuleError('System accounts keep their type and stay active', 'LEDGER_SYSTEM_ACCOUNT')
  }
  if (before.isControl && (type !== before.type || subtype !== before.subtype || patch.isActive === false || (patch.currency !== undefined && patch.currency !== null))) {
    throw new RuleError('A control account keeps its type, takes every currency and stays active; name another control account in the settings first', 'LEDGER_CONTROL_ACCOUNT')
  }
  if (patch.parentId !== undefined && patch.parentId !== before.parentId) await checkParent(tx, patch.parentId, id)
  if (patch.isActive === false && before.isActive) {
    const current = await getAccount(tx, id)
    if (!new Dec(current.balance).isZero()) throw new RuleError('Only an account with a zero balance can be deactivated', 'LEDGER_ACCOUNT_NOT_ZERO', { isActive: 'balance is not zero' })
  }
  try {
    const [after] = await tx.update(accounts).set({
      code: patch.code ?? before.code, name: patch.name ?? before.name, type, subtype,
      parentId: patch.parentId === undefined ? before.parentId : patch.parentId,
      currency: patch.currency === undefined ? before.currency : patch.currency,
      isActive: patch.isActive ?? before.isActive,
      description: patch.description === undefined ? before.description : patch.description,
      version: before.version + 1, updatedAt: new Date(),
    }).where(and(eq(accounts.id, id), eq(accounts.version, before.version))).returning()
    await recordAudit(tx, tenantId, actor, { action: 'account.update', entityType: 'account', entityId: id, before, after })
    return getAccount(tx, id)
  }
  catch (err) {
    if (isUniqueViolation(err, 'accounts_code_key')) throw new ConflictError('An account with this code exists', 'ACCOUNT_CODE_TAKEN', { code: 'is already used' })
    throw err
  }
}

/** Accounts named by id or code, for journal lines. */
export async function findAccountsForLines(tx: Tx, ids: string[], codes: string[]): Promise<AccountRow[]> {
  if (!ids.length && !codes.length) return []
  return tx.select().from(accounts).where(or(
    ids.length ? inArray(accounts.id, ids) : undefined,
    codes.length ? inArray(accounts.code, codes) : undefined,
  ))
}

/** Ids of accounts that have children (parents are not posted to). */
export async function parentIds(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set()
  const rows = await tx.selectDistinct({ parentId: accounts.parentId }).from(accounts).where(inArray(accounts.parentId, ids))
  return new Set(rows.map(r => r.parentId!))
}

export async function systemAccount(tx: Tx, key: 'retained_earnings' | 'fx_gain_loss' | 'fx_rounding'): Promise<AccountRow> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.systemKey, key))
  if (!row) throw new Error(`system account ${key} missing`)
  return row
}
