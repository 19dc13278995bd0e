/**
 * Items (SPEC 6.5): the products and services document lines name, with their default prices,
 * accounts and tax rates. Codes are unique (409 ITEM_CODE_TAKEN). The income account is a revenue
 * account, the expense account an expense (or, for stock, an asset) account, each active and
 * without sub-accounts (422 ITEM_ACCOUNT_INVALID); the sales and purchase tax rates are active rates
 * of that side (422 TAX_RATE_INVALID / TAX_RATE_INACTIVE).
 */
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm'
import { accounts, items } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError, RuleError } from '../errors'
import { Dec } from '../money'
import { checkUsableTaxRate, likePattern } from './tax-rates'

export interface ItemInput {
  code: string
  name: string
  kind: 'service' | 'product'
  description?: string | null
  salesPrice?: string | null
  purchasePrice?: string | null
  incomeAccountId?: string | null
  expenseAccountId?: string | null
  salesTaxRateId?: string | null
  purchaseTaxRateId?: string | null
  isActive?: boolean
}
export type ItemPatch = Partial<ItemInput> & { version?: number }

type Row = typeof items.$inferSelect
export type Item = Omit<Row, 'tenantId'>

/** A price as stored (4 places) shown with 2 decimals, or more when it has them: "12.50", "0.125". */
function price(v: string | null): string | null {
  if (v === null) return null
  const d = new Dec(v)
  return d.toFixed(Math.max(2, d.decimalPlaces()))
}
const present = ({ tenantId: _, ...r }: Row): Item => ({ ...r, salesPrice: price(r.salesPrice), purchasePrice: price(r.purchasePrice) })

function codeTaken(err: unknown): never {
  if (isUniqueViolation(err, 'items_code_key')) throw new ConflictError('An item with this code exists', 'ITEM_CODE_TAKEN', { code: 'is already used' })
  throw err
}

export async function getItem(tx: Tx, id: string): Promise<Item> {
  const [row] = await tx.select().from(items).where(eq(items.id, id))
  if (!row) throw new NotFoundError('Item')
  return present(row)
}

export interface ItemListQuery {
  page: number
  pageSize: number
  q?: string
  kind?: 'service' | 'product'
  active?: boolean
  sort?: { field: 'code' | 'name' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listItems(tx: Tx, query: ItemListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const where: SQL | undefined = and(
    like ? or(ilike(items.code, like), ilike(items.name, like)) : undefined,
    query.kind ? eq(items.kind, query.kind) : undefined,
    query.active === undefined ? undefined : eq(items.isActive, query.active),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(items).where(where) as [{ total: number }]
  const rows = await tx.select().from(items).where(where).orderBy(dir(items[query.sort?.field ?? 'code']), asc(items.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(present), total: Number(total) }
}

async function checkAccount(tx: Tx, id: string, path: string, types: readonly string[], what: string) {
  const [a] = await tx.select({
    type: accounts.type, isActive: accounts.isActive, isControl: accounts.isControl,
    isParent: sql<boolean>`exists (select 1 from accounts c where c.tenant_id = accounts.tenant_id and c.parent_id = accounts.id)`,
  }).from(accounts).where(eq(accounts.id, id))
  const problem = !a
    ? 'is not an account of this organisation'
    : !types.includes(a.type) ? `must be ${what}` : !a.isActive ? 'is inactive' : a.isParent ? 'is a parent account' : a.isControl ? 'is a control account' : null
  if (problem) throw new RuleError(`The item's ${path === 'incomeAccountId' ? 'income' : 'expense'} account cannot be used`, 'ITEM_ACCOUNT_INVALID', { [path]: problem })
}

/** Checks what changed: the accounts and tax rates named (unchanged references are not re-checked). */
async function checkReferences(tx: Tx, next: ItemInput, before?: Row) {
  const changed = <K extends keyof ItemInput>(key: K) => next[key] && next[key] !== (before?.[key as keyof Row] ?? null)
  if (changed('incomeAccountId')) await checkAccount(tx, next.incomeAccountId!, 'incomeAccountId', ['revenue'], 'a revenue account')
  if (changed('expenseAccountId')) await checkAccount(tx, next.expenseAccountId!, 'expenseAccountId', ['expense', 'asset'], 'an expense (or inventory asset) account')
  if (changed('salesTaxRateId')) await checkUsableTaxRate(tx, next.salesTaxRateId!, 'sales', 'salesTaxRateId')
  if (changed('purchaseTaxRateId')) await checkUsableTaxRate(tx, next.purchaseTaxRateId!, 'purchases', 'purchaseTaxRateId')
}

export async function createItem(tx: Tx, tenantId: string, actor: Actor, input: ItemInput): Promise<Item> {
  await checkReferences(tx, input)
  let row: Row
  try {
    ;[row] = await tx.insert(items).values({
      tenantId, code: input.code, name: input.name, kind: input.kind, description: input.description ?? null,
      salesPrice: input.salesPrice ?? null, purchasePrice: input.purchasePrice ?? null,
      incomeAccountId: input.incomeAccountId ?? null, expenseAccountId: input.expenseAccountId ?? null,
      salesTaxRateId: input.salesTaxRateId ?? null, purchaseTaxRateId: input.purchaseTaxRateId ?? null, isActive: input.isActive ?? true,
    }).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  const created = present(row)
  await recordAudit(tx, tenantId, actor, { action: 'item.create', entityType: 'item', entityId: row.id, after: created })
  return created
}

export async function updateItem(tx: Tx, tenantId: string, actor: Actor, id: string, patch: ItemPatch): Promise<Item> {
  const [before] = await tx.select().from(items).where(eq(items.id, id)).for('update')
  if (!before) throw new NotFoundError('Item')
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This item was changed by someone else; reload and try again', 'STALE_VERSION')
  const pick = <K extends keyof ItemInput>(key: K) => (patch[key] === undefined ? before[key as keyof Row] : patch[key]) as ItemInput[K]
  const next: ItemInput = {
    code: patch.code ?? before.code, name: patch.name ?? before.name, kind: patch.kind ?? before.kind, description: pick('description'),
    salesPrice: pick('salesPrice'), purchasePrice: pick('purchasePrice'), incomeAccountId: pick('incomeAccountId'), expenseAccountId: pick('expenseAccountId'),
    salesTaxRateId: pick('salesTaxRateId'), purchaseTaxRateId: pick('purchaseTaxRateId'), isActive: patch.isActive ?? before.isActive,
  }
  await checkReferences(tx, next, before)
  let after: Row
  try {
    ;[after] = await tx.update(items).set({ ...next, version: before.version + 1, updatedAt: new Date() }).where(eq(items.id, id)).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  await recordAudit(tx, tenantId, actor, { action: 'item.update', entityType: 'item', entityId: id, before: present(before), after: present(after) })
  return present(after)
}
