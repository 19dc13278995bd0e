/**
 * Tenant sign-in, refresh-token rotation and sign-out, and the per-request principal and session
 * checks.
 *
 * A session is a refresh-token family: its id is the family id, carried as `sid` in every access
 * token issued for it. Refresh tokens rotate on every use. Presenting a token that was already used
 * (or revoked) means it leaked: the whole family is revoked and the caller gets 401, so a thief and
 * the victim are both signed out of that session.
 *
 * Revocation takes effect at once: after the revoking transaction commits, each revoked session id
 * is written to the cache as revoked for the lifetime of an access token (`markSessionsRevoked`),
 * and every request checks it (`sessionIsActive`). Should that marker be lost (process memory
 * without REDIS_URL, across a restart) the check falls back to the family's rows in the database,
 * cached at most 30 s.
 */
import { and, eq, isNull, ne } from 'drizzle-orm'
import { memberships, refreshTokens, tenants, users } from '../../../db/schema'
import { withPlatform, withTenant, type PlatformTx, type Tx } from '../../../db/tenant'
import { useCacheStorage, withCache, type Entry } from '../../core/cache'
import { recordAudit, type Actor } from '../audit/audit'
import { RuleError, UnauthenticatedError, ValidationError } from '../errors'
import { tenantLink } from '../mail/links'
import { dispatchMail, queueMail } from '../mail/outbox'
import { renderSignInAlertMail } from '../mail/templates'
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from './passwords'
import { ACCESS_TOKEN_TTL_SECONDS, newRefreshSecret, parseRefreshToken, REFRESH_TOKEN_TTL_SECONDS, safeEqualHex, sha256 } from './tokens'

export interface SessionUser { id: string, email: string, name: string }
export interface IssuedRefresh { token: string, expiresAt: Date }
/** A signed-in session: `sessionId` (the refresh family) goes into the access token as `sid`. */
export interface IssuedSession { user: SessionUser, roles: string[], sessionId: string, refresh: IssuedRefresh }

const invalidCredentials = () => new UnauthenticatedError('E-mail or password is wrong', 'INVALID_CREDENTIALS')

async function issueRefresh(tx: Tx, tenantId: string, userId: string, familyId: string): Promise<IssuedRefresh> {
  const secret = newRefreshSecret()
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000)
  const [row] = await tx.insert(refreshTokens).values({ tenantId, userId, familyId, tokenHash: sha256(secret), expiresAt })
    .returning({ id: refreshTokens.id })
  return { token: `${row!.id}.${secret}`, expiresAt }
}

const revokedKey = (sessionId: string) => `session:revoked:${sessionId}`
const sessionCacheKey = (tenantId: string, sessionId: string) => `tenant:${tenantId}:session:${sessionId}`
const SESSION_TTL_SECONDS = 30

/**
 * Records sessions as revoked for as long as any access token of theirs can live. Call it after the
 * transaction that revoked them has committed (before, a request could still read them as active
 * and cache that). Used for back-office sessions too, which have no rows.
 */
export async function markSessionsRevoked(sessionIds: Iterable<string>): Promise<void> {
  const ttl = ACCESS_TOKEN_TTL_SECONDS + 60
  const store = useCacheStorage()
  await Promise.all([...new Set(sessionIds)].map(id => store.setItem(revokedKey(id), { value: true, expires: Date.now() + ttl * 1000 }, { ttl })))
}

/** True once `markSessionsRevoked` named this session (within an access token's lifetime). */
export async function sessionRevoked(sessionId: string): Promise<boolean> {
  const entry = await useCacheStorage().getItem<Entry<true>>(revokedKey(sessionId))
  return !!entry && entry.expires > Date.now()
}

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

/** Revokes a user's sessions in the current tenant (all, or all but `keep`); returns their ids. */
export async function revokeUserSessions(tx: Tx, userId: string, keep?: string): Promise<string[]> {
  const rows = await tx.update(refreshTokens).set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt), keep ? ne(refreshTokens.familyId, keep) : undefined))
    .returning({ familyId: refreshTokens.familyId })
  return [...new Set(rows.map(r => r.familyId))]
}

/**
 * For a password change or reset: revokes the user's sessions in every *other* tenant they belong
 * to (a password is the person's, not the membership's), with an audit event in each, then
 * continues the transaction in `homeTenantId` as that user. Call it first in a `withPlatform`
 * transaction: it reads the memberships as the platform role, which it then leaves.
 */
export async function revokeSessionsElsewhere(p: PlatformTx, userId: string, homeTenantId: string, reason: string, actor: Omit<Actor, 'type' | 'id'>): Promise<string[]> {
  const others = await p.tx.select({ tenantId: memberships.tenantId }).from(memberships)
    .where(and(eq(memberships.userId, userId), ne(memberships.tenantId, homeTenantId)))
  const revoked: string[] = []
  for (const { tenantId } of others) {
    await p.enterTenant(tenantId)
    const families = await revokeUserSessions(p.tx, userId)
    if (families.length) {
      await recordAudit(p.tx, tenantId, { ...actor, type: 'system' }, { action: 'auth.sessions_revoked', entityType: 'user', entityId: userId, after: { reason, sessions: families.length } })
    }
    revoked.push(...families)
  }
  await p.enterTenant(homeTenantId, userId)
  return revoked
}

/**
 * Checks e-mail and password for a member of this tenant. Someone who is not a member gets the same
 * 401 as a wrong password, after the same amount of hashing work.
 */
export async function signIn(tenantId: string, email: string, password: string, actor: Omit<Actor, 'type' | 'id'>): Promise<IssuedSession> {
  const found = await withTenant(tenantId, async tx => (await tx
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, roles: memberships.roles })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(users.email, email.toLowerCase())))[0])
  if (!found?.passwordHash) {
    await burnPasswordCheck(password)
    throw invalidCredentials()
  }
  if (!await verifyPassword(password, found.passwordHash)) throw invalidCredentials()
  return withTenant(tenantId, async (tx) => {
    const sessionId = crypto.randomUUID()
    const refresh = await issueRefresh(tx, tenantId, found.id, sessionId)
    await recordAudit(tx, tenantId, { ...actor, type: 'user', id: found.id }, { action: 'auth.login', entityType: 'user', entityId: found.id })
    return { user: { id: found.id, email: found.email, name: found.name }, roles: found.roles, sessionId, refresh }
  })
}

/** Exchanges a refresh token for a new one (rotation); reuse revokes the family. */
export async function rotateRefresh(tenantId: string, presented: string): Promise<IssuedSession> {
  const parsed = parseRefreshToken(presented)
  if (!parsed) throw new UnauthenticatedError('Refresh token is not valid', 'INVALID_REFRESH_TOKEN')
  const outcome = await withTenant(tenantId, async (tx) => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id)).for('update')
    if (!row || !safeEqualHex(row.tokenHash, sha256(parsed.secret))) return { kind: 'invalid' as const }
    if (row.usedAt || row.revokedAt) {
      await tx.update(refreshTokens).set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
      await recordAudit(tx, tenantId, { type: 'system' }, { action: 'auth.refresh_reuse', entityType: 'user', entityId: row.userId, after: { familyId: row.familyId } })
      return { kind: 'reused' as const, familyId: row.familyId }
    }
    if (row.expiresAt <= new Date()) return { kind: 'invalid' as const }
    const [member] = await tx.select({ id: users.id, email: users.email, name: users.name, roles: memberships.roles })
      .from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, row.userId))
    if (!member) return { kind: 'invalid' as const }
    await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id))
    const refresh = await issueRefresh(tx, tenantId, row.userId, row.familyId)
    return { kind: 'ok' as const, user: { id: member.id, email: member.email, name: member.name }, roles: member.roles, sessionId: row.familyId, refresh }
  })
  if (outcome.kind === 'reused') await markSessionsRevoked([outcome.familyId])
  if (outcome.kind !== 'ok') throw new UnauthenticatedError('Refresh token is not valid', 'INVALID_REFRESH_TOKEN')
  return { user: outcome.user, roles: outcome.roles, sessionId: outcome.sessionId, refresh: outcome.refresh }
}

/**
 * Sign-out: revokes the session of the presented refresh token and the caller's own session (the
 * access token's `sid`), so both the refresh token and the access token stop working at once.
 * Unknown refresh tokens are ignored.
 */
export async function signOut(tenantId: string, presented: string | undefined, actor: Actor, sessionId?: string): Promise<void> {
  const parsed = presented ? parseRefreshToken(presented) : null
  const revoked = await withTenant(tenantId, async (tx) => {
    const families = new Set<string>()
    if (sessionId && actor.id) families.add(sessionId)
    if (parsed) {
      const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id))
      if (row && safeEqualHex(row.tokenHash, sha256(parsed.secret))) families.add(row.familyId)
    }
    for (const familyId of families) {
      await tx.update(refreshTokens).set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    }
    if (actor.id) await recordAudit(tx, tenantId, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.id })
    return families
  })
  await markSessionsRevoked(revoked)
}

export interface Principal {
  user: SessionUser
  roles: string[]
  tenant: { id: string, slug: string, name: string, status: string, baseCurrency: string, fiscalYearStartMonth: number }
}

export const principalCacheKey = (tenantId: string, userId: string) => `tenant:${tenantId}:member:${userId}`
const PRINCIPAL_TTL_SECONDS = 30

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

/**
 * Changes the caller's password and signs out every other session of theirs, in this tenant and in
 * every other tenant they belong to (the session making the change stays signed in). One
 * transaction: a wrong current password changes and revokes nothing.
 */
export async function changeOwnPassword(tenantId: string, actor: Actor & { id: string }, currentPassword: string, newPassword: string, sessionId: string): Promise<void> {
  const problem = passwordProblem(newPassword)
  if (problem) throw new ValidationError(`new password ${problem}`, { newPassword: problem }, 'WEAK_PASSWORD')
  const passwordHash = await hashPassword(newPassword)
  const revoked = await withPlatform(async (p) => {
    const elsewhere = await revokeSessionsElsewhere(p, actor.id, tenantId, 'password_change', actor)
    const [me] = await p.tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.id))
    if (!me?.hash || !await verifyPassword(currentPassword, me.hash)) throw new RuleError('The current password is wrong', 'WRONG_PASSWORD', { currentPassword: 'is wrong' })
    await p.tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, actor.id))
    const here = await revokeUserSessions(p.tx, actor.id, sessionId)
    await recordAudit(p.tx, tenantId, actor, { action: 'user.password_change', entityType: 'user', entityId: actor.id, after: { sessionsRevoked: elsewhere.length + here.length } })
    return [...elsewhere, ...here]
  })
  await markSessionsRevoked(revoked)
}

/**
 * Tells a member that strangers used up the sign-in budget of their account (see
 * server/utils/throttle.ts). Nothing happens when the address is not a member here, so failed
 * sign-ins cannot be used to send mail to arbitrary addresses.
 */
export async function notifySignInAttempts(tenantId: string, email: string, alert: { attempts: number, windowMinutes: number }, meta: Omit<Actor, 'type' | 'id'>): Promise<void> {
  const mailId = await withTenant(tenantId, async (tx) => {
    const [member] = await tx.select({ id: users.id, email: users.email }).from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, email.trim().toLowerCase()))
    if (!member) return undefined
    const [tenant] = await tx.select({ name: tenants.name, slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
    const mail = renderSignInAlertMail({ tenantName: tenant!.name, ...alert, resetLink: tenantLink(tenant!.slug, '/forgot-password') })
    const queued = await queueMail(tx, tenantId, { kind: 'sign_in_alert', to: [member.email], ...mail })
    await recordAudit(tx, tenantId, { ...meta, type: 'system' }, { action: 'auth.login_throttled', entityType: 'user', entityId: member.id, after: alert })
    return queued.id
  })
  if (mailId) await dispatchMail(tenantId, mailId)
}
