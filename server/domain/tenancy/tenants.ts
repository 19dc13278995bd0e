/**
 * Tenants: creation (with the owner's membership), status changes, the back-office lists. Every
 * function takes the caller's transaction: platform-side reads and writes the route's platform
 * unit's; everything inside the new tenant (membership, audit) is written as the app role in the
 * same transaction. The host's lookup by slug (cached, for the site middleware) is lookup.ts.
 *
 * Two ways in: the back-office (`createTenant`, which names the owner and, for an e-mail new to
 * the platform, their first password; an existing account keeps its own password and name), and
 * a completed self-service sign-up (`signups.ts`, through `insertTenant`).
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm'
import { memberships, tenants } from '../../../db/schema'
import type { PlatformTx, Tx } from '../../../db/tenant'
import { clearCache } from '../../core/cache'
import { recordAudit, type Actor } from '../audit/audit'
import type { AfterCommit } from '../unit'
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from '../errors'
import { hashPassword, passwordProblem } from '../identity/passwords'
import { principalCacheKey } from '../identity/sessions'
import { seedChart } from '../ledger/accounts'
import { tenantSlugKey } from './lookup'
import { slugProblem } from './slug'

export interface Tenant {
  id: string
  slug: string
  name: string
  status: 'active' | 'suspended'
  baseCurrency: string
  fiscalYearStartMonth: number
  createdAt: Date
  updatedAt: Date
}

/** What a new tenant is made of, apart from its owner. */
export interface TenantFields {
  slug: string
  name: string
  baseCurrency: string
  fiscalYearStartMonth: number
  chartOfAccounts: 'standard' | 'none'
}

export interface NewTenant extends TenantFields {
  owner: { email: string, name: string, password: string }
}

/**
 * Drops what is cached with a tenant's row in it — its lookup by slug and its members' sessions —
 * once the caller's transaction has committed, after a change made outside `updateTenant` (a
 * rename in the settings). The members are read in that transaction (inside the tenant).
 */
export async function forgetTenant(tx: Tx, unit: AfterCommit, tenantId: string, slug: string): Promise<void> {
  const members = await tx.select({ userId: memberships.userId }).from(memberships)
  unit.afterCommit(() => clearCache(tenantSlugKey(slug), ...members.map(m => principalCacheKey(tenantId, m.userId))))
}

/** Refuses a malformed or reserved slug (400 INVALID_SLUG). */
export function checkSlug(slug: string): void {
  const problem = slugProblem(slug)
  if (problem) throw new ValidationError(`slug ${problem}`, { slug: problem }, 'INVALID_SLUG')
}

const slugTaken = () => new ConflictError('This slug is already taken', 'SLUG_TAKEN', { slug: 'is already taken' })

/** Refuses a slug some tenant already has (409 SLUG_TAKEN), in a platform transaction: slugs are public host names anyway. */
export async function checkSlugFree(tx: Tx, slug: string): Promise<void> {
  const [taken] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug))
  if (taken) throw slugTaken()
}

/**
 * Inside the caller's platform transaction: inserts the tenant, enters it (the rest runs as
 * the app role), gives `ownerId(tx)` — which finds or creates the owner's account in that tenant
 * context — the owner role, and seeds the chart. A slug taken meanwhile is 409 SLUG_TAKEN.
 */
export async function insertTenant({ tx, enterTenant }: PlatformTx, input: TenantFields, actor: Actor, owner: { email: string, ownerId: (tx: Tx) => Promise<string> }): Promise<Tenant> {
  let tenant: Tenant
  try {
    ;[tenant] = await tx.insert(tenants).values({
      slug: input.slug,
      name: input.name,
      baseCurrency: input.baseCurrency,
      fiscalYearStartMonth: input.fiscalYearStartMonth,
    }).returning() as [Tenant]
  }
  catch (err) {
    // The whole transaction rolls back with it: nothing of the caller's work is kept either.
    if (isUniqueViolation(err, 'tenants_slug_key')) throw slugTaken()
    throw err
  }
  await enterTenant(tenant.id)
  await recordAudit(tx, tenant.id, actor, { action: 'tenant.create', entityType: 'tenant', entityId: tenant.id, after: { ...tenant, chartOfAccounts: input.chartOfAccounts } })
  const userId = await owner.ownerId(tx)
  await tx.insert(memberships).values({ tenantId: tenant.id, userId, roles: ['owner'] })
  await recordAudit(tx, tenant.id, actor, { action: 'membership.create', entityType: 'user', entityId: userId, after: { email: owner.email, roles: ['owner'] } })
  await seedChart(tx, tenant.id, input.chartOfAccounts)
  return tenant
}

/** A new tenant's owner, checked and with the password hashed before any transaction opens (scrypt is slow). */
export interface TenantOwner { email: string, name: string, passwordHash: string }

/** Checks the slug and the owner's password (400 INVALID_SLUG, WEAK_PASSWORD) and hashes it. */
export async function prepareTenantOwner(input: NewTenant): Promise<TenantOwner> {
  checkSlug(input.slug)
  const pw = passwordProblem(input.owner.password)
  if (pw) throw new ValidationError(`owner password ${pw}`, { 'owner.password': pw }, 'WEAK_PASSWORD')
  return { email: input.owner.email, name: input.owner.name, passwordHash: await hashPassword(input.owner.password) }
}

/**
 * Back-office creation, in the caller's platform transaction. The owner is found or created by
 * e-mail (`app_ensure_user`): a new e-mail gets the given password; an existing account keeps its
 * own password and name (the back-office sees every account anyway, so this reveals nothing to
 * anyone who could not see it already).
 */
export async function createTenant(p: PlatformTx, input: TenantFields, owner: TenantOwner, actor: Actor): Promise<Tenant> {
  return insertTenant(p, input, actor, {
    email: owner.email,
    ownerId: async (tx) => {
      const [row] = await tx.execute<{ user_id: string }>(
        sql`select user_id from app_ensure_user(${owner.email.toLowerCase()}, ${owner.name}, ${owner.passwordHash})`)
      return row!.user_id
    },
  })
}

export interface TenantWithUsage extends Tenant { userCount: number }

export interface TenantListQuery { page: number, pageSize: number, q?: string, status?: 'active' | 'suspended', sort?: { field: 'slug' | 'name' | 'createdAt' | 'status', dir: 'asc' | 'desc' } }

export async function listTenants(tx: Tx, query: TenantListQuery): Promise<{ data: TenantWithUsage[], total: number }> {
  // q is literal text: escape LIKE's wildcards and its escape character.
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, m => `\\${m}`)}%` : undefined
  const filters = and(
    like ? or(ilike(tenants.slug, like), ilike(tenants.name, like)) : undefined,
    query.status ? eq(tenants.status, query.status) : undefined,
  )
  const sortCol = tenants[query.sort?.field ?? 'createdAt']
  const [{ total }] = await tx.select({ total: count() }).from(tenants).where(filters) as [{ total: number }]
  const rows = await tx.select().from(tenants).where(filters)
    .orderBy(query.sort?.dir === 'asc' ? asc(sortCol) : desc(sortCol), asc(tenants.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  const counts = await tenantUserCounts(tx, rows.map(r => r.id))
  return { data: rows.map(r => ({ ...(r as Tenant), userCount: counts.get(r.id) ?? 0 })), total }
}

/** Members per tenant: the platform role reads memberships through its own read-only policy. */
async function tenantUserCounts(tx: Tx, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map()
  const rows = await tx.select({ tenantId: memberships.tenantId, n: count() }).from(memberships)
    .where(inArray(memberships.tenantId, ids)).groupBy(memberships.tenantId)
  return new Map(rows.map(r => [r.tenantId, Number(r.n)]))
}

/** One tenant with its member count, in a platform transaction (before it enters any tenant). */
export async function getTenant(tx: Tx, id: string): Promise<TenantWithUsage> {
  const [row] = await tx.select().from(tenants).where(eq(tenants.id, id))
  if (!row) throw new NotFoundError('Tenant')
  const counts = await tenantUserCounts(tx, [id])
  return { ...(row as Tenant), userCount: counts.get(id) ?? 0 }
}

export interface TenantPatch { status?: 'active' | 'suspended', name?: string }

/**
 * Suspends, reactivates or renames a tenant in the caller's platform transaction; the slug lookup's
 * cache is cleared once it has committed, so the next request sees the change.
 */
export async function updateTenant({ tx, enterTenant }: PlatformTx, unit: AfterCommit, id: string, patch: TenantPatch, actor: Actor): Promise<Tenant> {
  const [before] = await tx.select().from(tenants).where(eq(tenants.id, id)).for('update')
  if (!before) throw new NotFoundError('Tenant')
  const [after] = await tx.update(tenants).set({ ...patch, updatedAt: new Date() }).where(eq(tenants.id, id)).returning()
  unit.afterCommit(() => clearCache(tenantSlugKey(after!.slug)))
  await enterTenant(id)
  const action = patch.status && patch.status !== before.status ? (patch.status === 'suspended' ? 'tenant.suspend' : 'tenant.reactivate') : 'tenant.update'
  await recordAudit(tx, id, actor, { action, entityType: 'tenant', entityId: id, before, after })
  return after as Tenant
}
