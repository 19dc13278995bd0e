/**
 * Tax rates and groups (SPEC 6.9). A simple rate posts its tax to its own account; a group's rate
 * is the sum of its components', each posting to its own account. Tax accounts are active,
 * childless asset or liability accounts (default: the tenant's first tax payable account).
 * A rate is deleted only while nothing uses it (`taxRateInUse`: items, sales document and bill lines);
 * otherwise it is made inactive, and inactive rates are refused on anything new.
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm'
import { accounts, billLines, billLineTaxes, items, salesDocumentLines, salesDocumentLineTaxes, taxRateComponents, taxRates } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError, RuleError, ValidationError } from '../errors'
import { Dec } from '../money'

export type TaxScope = 'sales' | 'purchases' | 'both'
export interface TaxComponentInput { name: string, rate: string, accountId?: string }
export interface TaxRateInput {
  code: string
  name: string
  rate?: string
  scope: TaxScope
  accountId?: string | null
  components?: TaxComponentInput[]
  isActive?: boolean
}
export type TaxRatePatch = Partial<TaxRateInput> & { version?: number }

export interface TaxRate {
  id: string
  code: string
  name: string
  rate: string
  scope: TaxScope
  accountId: string | null
  isGroup: boolean
  components: { id: string, name: string, rate: string, accountId: string }[]
  isActive: boolean
  inUse: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

type Row = typeof taxRates.$inferSelect
const pct = (v: string | Dec) => new Dec(v).toFixed(4)

/**
 * Whether anything names the rate. Each document kind that stores a tax rate adds its check here
 * (invoice and bill lines next), so DELETE stays refused for a rate in use; the items' foreign keys
 * refuse it in the database too.
 */
export async function taxRateInUse(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set()
  const rows = await tx.select({ s: items.salesTaxRateId, p: items.purchaseTaxRateId }).from(items)
    .where(or(inArray(items.salesTaxRateId, ids), inArray(items.purchaseTaxRateId, ids)))
  // Sales documents: a line's rate (drafts too) and each component as issued.
  const lines = await tx.selectDistinct({ id: salesDocumentLines.taxRateId }).from(salesDocumentLines).where(inArray(salesDocumentLines.taxRateId, ids))
  const taxes = await tx.selectDistinct({ id: salesDocumentLineTaxes.taxRateId }).from(salesDocumentLineTaxes).where(inArray(salesDocumentLineTaxes.taxRateId, ids))
  // Bills (server/domain/purchases/bills.ts): the same two.
  const billRates = await tx.selectDistinct({ id: billLines.taxRateId }).from(billLines).where(inArray(billLines.taxRateId, ids))
  const billTaxes = await tx.selectDistinct({ id: billLineTaxes.taxRateId }).from(billLineTaxes).where(inArray(billLineTaxes.taxRateId, ids))
  return new Set([...rows.flatMap(r => [r.s, r.p]), ...lines.map(r => r.id), ...taxes.map(r => r.id), ...billRates.map(r => r.id), ...billTaxes.map(r => r.id)].filter((id): id is string => !!id && ids.includes(id)))
}

async function present(tx: Tx, rows: Row[]): Promise<TaxRate[]> {
  const ids = rows.map(r => r.id)
  const comps = ids.length
    ? await tx.select().from(taxRateComponents).where(inArray(taxRateComponents.taxRateId, ids)).orderBy(asc(taxRateComponents.position))
    : []
  const used = await taxRateInUse(tx, ids)
  return rows.map((r) => {
    const own = comps.filter(c => c.taxRateId === r.id)
    return {
      id: r.id, code: r.code, name: r.name, rate: pct(r.rate), scope: r.scope, accountId: r.accountId, isGroup: own.length > 0,
      components: own.map(c => ({ id: c.id, name: c.name, rate: pct(c.rate), accountId: c.accountId })),
      isActive: r.isActive, inUse: used.has(r.id), version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
    }
  })
}

export async function getTaxRate(tx: Tx, id: string): Promise<TaxRate> {
  const [row] = await tx.select().from(taxRates).where(eq(taxRates.id, id))
  if (!row) throw new NotFoundError('Tax rate')
  return (await present(tx, [row]))[0]!
}

export interface TaxRateListQuery {
  page: number
  pageSize: number
  q?: string
  scope?: 'sales' | 'purchases'
  active?: boolean
  sort?: { field: 'code' | 'name' | 'rate' | 'createdAt', dir: 'asc' | 'desc' }
}

export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, m => `\\${m}`)}%`

export async function listTaxRates(tx: Tx, query: TaxRateListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const where: SQL | undefined = and(
    like ? or(ilike(taxRates.code, like), ilike(taxRates.name, like)) : undefined,
    query.scope ? inArray(taxRates.scope, [query.scope, 'both']) : undefined,
    query.active === undefined ? undefined : eq(taxRates.isActive, query.active),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(taxRates).where(where) as [{ total: number }]
  const rows = await tx.select().from(taxRates).where(where).orderBy(dir(taxRates[query.sort?.field ?? 'code']), asc(taxRates.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: await present(tx, rows), total: Number(total) }
}

/** The tenant's default tax account: its first active, childless tax payable account by code. */
async function defaultTaxAccount(tx: Tx): Promise<string | null> {
  const [row] = await tx.select({ id: accounts.id }).from(accounts)
    .where(and(eq(accounts.subtype, 'tax_payable'), eq(accounts.isActive, true),
      sql`not exists (select 1 from accounts c where c.tenant_id = ${accounts.tenantId} and c.parent_id = ${accounts.id})`))
    .orderBy(asc(accounts.code)).limit(1)
  return row?.id ?? null
}

/** Checks each named tax account (422 TAX_ACCOUNT_INVALID, with the field's path) and fills in the default. */
async function resolveAccounts(tx: Tx, wanted: { path: string, accountId: string | null | undefined }[]): Promise<string[]> {
  const named = [...new Set(wanted.flatMap(w => w.accountId ? [w.accountId] : []))]
  const found = named.length
    ? await tx.select({
        id: accounts.id, code: accounts.code, type: accounts.type, isActive: accounts.isActive,
        isParent: sql<boolean>`exists (select 1 from accounts c where c.tenant_id = accounts.tenant_id and c.parent_id = accounts.id)`,
      }).from(accounts).where(inArray(accounts.id, named))
    : []
  let fallback: string | null | undefined
  const out: string[] = []
  for (const w of wanted) {
    if (!w.accountId) {
      fallback = fallback === undefined ? await defaultTaxAccount(tx) : fallback
      if (!fallback) throw new RuleError('This organisation has no tax payable account; give the tax account', 'TAX_ACCOUNT_INVALID', { [w.path]: 'is required: there is no tax payable account to default to' })
      out.push(fallback)
      continue
    }
    const a = found.find(f => f.id === w.accountId)
    const problem = !a
      ? 'is not an account of this organisation'
      : a.type !== 'liability' && a.type !== 'asset' ? 'must be a liability or asset account' : !a.isActive ? 'is inactive' : a.isParent ? 'is a parent account' : null
    if (problem) throw new RuleError('A tax account must be an active asset or liability account without sub-accounts', 'TAX_ACCOUNT_INVALID', { [w.path]: problem })
    out.push(w.accountId)
  }
  return out
}

function codeTaken(err: unknown): never {
  if (isUniqueViolation(err, 'tax_rates_code_key')) throw new ConflictError('A tax rate with this code exists', 'TAX_RATE_CODE_TAKEN', { code: 'is already used' })
  throw err
}

async function writeComponents(tx: Tx, tenantId: string, rateId: string, components: TaxComponentInput[]) {
  const accountIds = await resolveAccounts(tx, components.map((c, i) => ({ path: `components.${i}.accountId`, accountId: c.accountId })))
  await tx.delete(taxRateComponents).where(eq(taxRateComponents.taxRateId, rateId))
  if (components.length) {
    await tx.insert(taxRateComponents).values(components.map((c, i) => ({ tenantId, taxRateId: rateId, position: i + 1, name: c.name, rate: pct(c.rate), accountId: accountIds[i]! })))
  }
}

/** A group's rate, the sum of its components' (400 when they add up to 1000% or more, past what a rate holds). */
function groupRate(components: TaxComponentInput[]): Dec {
  const rate = components.reduce((s, c) => s.plus(c.rate), new Dec(0))
  if (rate.gte(1000)) throw new ValidationError('The components add up to 1000% or more', { components: 'must add up to less than 1000%' })
  return rate
}

export async function createTaxRate(tx: Tx, tenantId: string, actor: Actor, input: TaxRateInput): Promise<TaxRate> {
  const components = input.components ?? []
  const isGroup = components.length > 0
  const rate = isGroup ? groupRate(components) : new Dec(input.rate!)
  const [accountId] = isGroup ? [null] : await resolveAccounts(tx, [{ path: 'accountId', accountId: input.accountId }])
  let row: Row
  try {
    ;[row] = await tx.insert(taxRates).values({
      tenantId, code: input.code, name: input.name, rate: pct(rate), scope: input.scope, accountId, isActive: input.isActive ?? true,
    }).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  if (isGroup) await writeComponents(tx, tenantId, row.id, components)
  const created = await getTaxRate(tx, row.id)
  await recordAudit(tx, tenantId, actor, { action: 'tax_rate.create', entityType: 'tax_rate', entityId: row.id, after: created })
  return created
}

/**
 * Changes the given fields. `components` replaces them all (an empty list makes the group a simple
 * rate again, which then needs `rate`); a simple rate's `rate` and `accountId` apply to simple rates
 * only. Documents will keep the rate and components they were issued with, so changing a rate never
 * changes an issued document.
 */
export async function updateTaxRate(tx: Tx, tenantId: string, actor: Actor, id: string, patch: TaxRatePatch): Promise<TaxRate> {
  const [locked] = await tx.select().from(taxRates).where(eq(taxRates.id, id)).for('update')
  if (!locked) throw new NotFoundError('Tax rate')
  const before = (await present(tx, [locked]))[0]!
  if (patch.version !== undefined && patch.version !== locked.version) throw new ConflictError('This tax rate was changed by someone else; reload and try again', 'STALE_VERSION')
  const components = patch.components
  const isGroup = components ? components.length > 0 : before.isGroup
  if (isGroup && patch.accountId) throw new RuleError('A group has no account of its own: give each component its accountId', 'TAX_ACCOUNT_INVALID', { accountId: 'a group has no account of its own' })
  let rate: Dec
  let accountId: string | null
  if (isGroup) {
    rate = components ? groupRate(components) : new Dec(before.rate)
    if (!components && patch.rate !== undefined && !new Dec(patch.rate).eq(rate)) {
      throw new RuleError('A group\'s rate is the sum of its components\'; change the components instead', 'TAX_RATE_INVALID', { rate: `must be the sum of the components' rates (${rate.toString()})` })
    }
    accountId = null
  }
  else {
    rate = new Dec(patch.rate ?? before.rate)
    ;[accountId] = patch.accountId !== undefined || before.isGroup || !before.accountId
      ? await resolveAccounts(tx, [{ path: 'accountId', accountId: patch.accountId }]) as [string]
      : [before.accountId]
  }
  try {
    await tx.update(taxRates).set({
      code: patch.code ?? locked.code, name: patch.name ?? locked.name, scope: patch.scope ?? locked.scope, rate: pct(rate), accountId,
      isActive: patch.isActive ?? locked.isActive, version: locked.version + 1, updatedAt: new Date(),
    }).where(eq(taxRates.id, id))
  }
  catch (err) { codeTaken(err) }
  if (components) await writeComponents(tx, tenantId, id, components)
  const after = await getTaxRate(tx, id)
  await recordAudit(tx, tenantId, actor, { action: 'tax_rate.update', entityType: 'tax_rate', entityId: id, before, after })
  return after
}

/** Deletes a rate nothing uses (422 TAX_RATE_IN_USE otherwise: make it inactive instead). */
export async function deleteTaxRate(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<void> {
  const [locked] = await tx.select().from(taxRates).where(eq(taxRates.id, id)).for('update')
  if (!locked) throw new NotFoundError('Tax rate')
  const before = (await present(tx, [locked]))[0]!
  if (before.inUse) throw new RuleError('This tax rate is in use and cannot be deleted; make it inactive instead', 'TAX_RATE_IN_USE')
  await tx.delete(taxRates).where(eq(taxRates.id, id))
  await recordAudit(tx, tenantId, actor, { action: 'tax_rate.delete', entityType: 'tax_rate', entityId: id, before })
}

/**
 * A tax rate named on something new (an item now, document lines next): it exists, applies to that
 * side, and is active — 422 TAX_RATE_INVALID or TAX_RATE_INACTIVE, with the field's path.
 */
export async function checkUsableTaxRate(tx: Tx, id: string, side: 'sales' | 'purchases', path: string): Promise<void> {
  const [row] = await tx.select({ scope: taxRates.scope, isActive: taxRates.isActive, code: taxRates.code }).from(taxRates).where(eq(taxRates.id, id))
  const refused = taxRateRefusal(row, side, path)
  if (refused) throw refused
}

/** Why a rate (undefined: not found) cannot be named on something new of `side`, or null. */
export function taxRateRefusal(row: { scope: string, isActive: boolean, code: string } | undefined, side: 'sales' | 'purchases', path: string): RuleError | null {
  if (!row) return new RuleError('Unknown tax rate', 'TAX_RATE_INVALID', { [path]: 'is not a tax rate of this organisation' })
  if (row.scope !== side && row.scope !== 'both') return new RuleError(`Tax rate ${row.code} is for ${row.scope} only`, 'TAX_RATE_INVALID', { [path]: `is a ${row.scope} rate` })
  if (!row.isActive) return new RuleError(`Tax rate ${row.code} is inactive`, 'TAX_RATE_INACTIVE', { [path]: 'is inactive' })
  return null
}
