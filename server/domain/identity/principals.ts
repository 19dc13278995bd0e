/**
 * ENTRY POINT (server/domain/README.md): who is calling, for the request authentication
 * (server/middleware/02.auth.ts), which runs before any route and so before any unit of work. Each
 * answer is cached; only a cache miss opens a short read of its own in the tenant (`withTenant`),
 * so a request whose answers are cached opens no transaction for them at all.
 *
 * A session is checked twice: the revocation marker written after a revoking transaction commits
 * (`markSessionsRevoked`, sessions.ts), and, should that marker be lost, the family's rows in the
 * database, cached at most 30 s. The membership (roles, tenant) is re-read at most every 30 s and
 * its entry is cleared whenever the membership or the tenant changes.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { memberships, refreshTokens, tenants, users } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { useCacheStorage, withCache, type Entry } from '../../core/cache'
import { principalCacheKey, revokedKey, sessionRevoked, type Principal } from './sessions'

const sessionCacheKey = (tenantId: string, sessionId: string) => `tenant:${tenantId}:session:${sessionId}`
const SESSION_TTL_SECONDS = 30
const PRINCIPAL_TTL_SECONDS = 30

/** Whether the session's refresh family still has an unrevoked token of this user in this tenant (the database's answer). */
function familyStands(tenantId: string, userId: string, sessionId: string): Promise<boolean> {
  return withTenant(tenantId, async tx =>
    (await tx.select({ id: refreshTokens.id }).from(refreshTokens)
      .where(and(eq(refreshTokens.familyId, sessionId), eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))).limit(1)).length > 0)
}

/**
 * Whether an access token's session still stands: not marked revoked, and its refresh family still
 * has an unrevoked token of this user in this tenant (read at most every 30 s).
 */
export async function sessionIsActive(tenantId: string, userId: string, sessionId: string): Promise<boolean> {
  if (await sessionRevoked(sessionId)) return false
  return withCache(sessionCacheKey(tenantId, sessionId), SESSION_TTL_SECONDS, () => familyStands(tenantId, userId, sessionId))
}

/** The membership of a user in a tenant, with the tenant (the database's answer), or null. */
async function readPrincipal(tenantId: string, userId: string): Promise<Principal | null> {
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx.select({
      id: users.id, email: users.email, name: users.name, roles: memberships.roles,
      tenantId: tenants.id, slug: tenants.slug, tenantName: tenants.name, status: tenants.status,
      baseCurrency: tenants.baseCurrency, fiscalYearStartMonth: tenants.fiscalYearStartMonth,
    }).from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
    if (!row) return null
    return {
      user: { id: row.id, email: row.email, name: row.name },
      roles: row.roles,
      tenant: { id: row.tenantId, slug: row.slug, name: row.tenantName, status: row.status, baseCurrency: row.baseCurrency, fiscalYearStartMonth: row.fiscalYearStartMonth },
    }
  })
}

/**
 * The membership behind a verified token, re-read at most every 30 s (the cache entry is cleared
 * whenever the membership or the tenant changes). Null when the user is no longer a member.
 */
export function loadPrincipal(tenantId: string, userId: string): Promise<Principal | null> {
  return withCache(principalCacheKey(tenantId, userId), PRINCIPAL_TTL_SECONDS, () => readPrincipal(tenantId, userId))
}

const fresh = <T>(entry: Entry<T> | null | undefined): entry is Entry<T> => !!entry && typeof entry === 'object' && entry.expires > Date.now()

/** A cache miss: computes the value and stores it for `ttlSeconds`, as `withCache` does. */
async function fill<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const value = await compute()
  await useCacheStorage().setItem(key, { value, expires: Date.now() + ttlSeconds * 1000 }, { ttl: ttlSeconds })
  return value
}

/**
 * The principal of a verified tenant access token, or null: `sessionIsActive` and then
 * `loadPrincipal`, with the three cache reads (revocation marker, session, membership) in one
 * request to the store (one MGET with Redis). The same answers and the same guarantees: a session
 * marked revoked is refused whatever else is cached, a session found inactive never loads its
 * principal, and each miss is read from the database and cached for 30 s as before.
 */
export async function tenantPrincipal(tenantId: string, userId: string, sessionId: string): Promise<Principal | null> {
  const sessionKey = sessionCacheKey(tenantId, sessionId)
  const memberKey = principalCacheKey(tenantId, userId)
  const [revoked, session, member] = (await useCacheStorage().getItems([revokedKey(sessionId), sessionKey, memberKey]))
    .map(item => item.value as Entry<unknown> | null)
  if (fresh(revoked)) return null
  const active = fresh(session) ? session.value as boolean : await fill(sessionKey, SESSION_TTL_SECONDS, () => familyStands(tenantId, userId, sessionId))
  if (!active) return null
  return fresh(member) ? member.value as Principal | null : fill(memberKey, PRINCIPAL_TTL_SECONDS, () => readPrincipal(tenantId, userId))
}
