/**
 * Tenant sign-in, refresh-token rotation and sign-out, password change, and session revocation.
 * Every function takes the route's transaction (the per-request principal and session checks,
 * which open their own reads on a cache miss, are the entry point principals.ts).
 *
 * A session is a refresh-token family: its id is the family id, carried as `sid` in every access
 * token issued for it. Refresh tokens rotate on every use. Presenting a token that was already used
 * (or revoked) means it leaked: the whole family is revoked and the caller gets 401, so a thief and
 * the victim are both signed out of that session.
 *
 * One exception, the grace window (`REFRESH_REUSE_GRACE_SECONDS`): a token presented again within
 * that many seconds of its rotation, while the token that rotation issued is still unused, gets
 * that same rotation's result — the same successor refresh token (its secret is derived from the
 * presented one under the server's key, `successorRefreshSecret`, so it can be handed out again
 * though only its hash is stored) and a new access token of the same session. That is a concurrent
 * duplicate, not theft: two requests of one browser that read the cookie jar before the first
 * answer came back (a page's server render refreshing while another tab's script refreshes, tabs
 * restored at once, an answer whose cookies the browser dropped when the page navigated away). It
 * never forks the family: nobody gets a token the first caller did not get. A spent token presented
 * after the window, or after its successor was used or revoked, still revokes the whole family.
 *
 * Revocation takes effect at once: after the revoking transaction commits, each revoked session id
 * is written to the cache as revoked for the lifetime of an access token (`markSessionsRevoked`),
 * and every request checks it (principals.ts). Should that marker be lost (process memory
 * without REDIS_URL, across a restart) the check falls back to the family's rows in the database,
 * cached at most 30 s.
 */
import { and, eq, gt, isNull, ne } from 'drizzle-orm'
import { memberships, refreshTokens, tenants, users } from '../../../db/schema'
import type { PlatformTx, Tx } from '../../../db/tenant'
import { useCacheStorage, type Entry } from '../../core/cache'
import { useConfig } from '../../core/config'
import type { AfterCommit } from '../unit'
import { recordAudit, type Actor } from '../audit/audit'
import { RuleError, UnauthenticatedError, ValidationError } from '../errors'
import { tenantLink } from '../mail/links'
import { queueMail, type MailCollector } from '../mail/outbox'
import { renderSignInAlertMail } from '../mail/templates'
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from './passwords'
import { ACCESS_TOKEN_TTL_SECONDS, parseRefreshToken, REFRESH_TOKEN_TTL_SECONDS, safeEqualHex, sha256, successorRefreshSecret, newRefreshSecret } from './tokens'

export interface SessionUser { id: string, email: string, name: string }
export interface IssuedRefresh { token: string, expiresAt: Date }
/** A signed-in session: `sessionId` (the refresh family) goes into the access token as `sid`. */
export interface IssuedSession { user: SessionUser, roles: string[], sessionId: string, refresh: IssuedRefresh }

const invalidCredentials = () => new UnauthenticatedError('E-mail or password is wrong', 'INVALID_CREDENTIALS')

/**
 * How long after a rotation the rotated token may be presented again and get the same rotation's
 * result instead of revoking the session (see the top of this file). Short: long enough for a
 * duplicate sent before the first answer arrived to get through a loaded server (a slow server
 * render, tabs restored together), too short to keep a stolen token alive — the thief would get
 * only the token the victim also holds, and the next rotation, minutes later, leaves one of them
 * presenting a spent token after its window. 30 s is also Okta's default grace period.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 30

/** A new refresh token of the family: a random secret for a new session, a derived one on rotation. */
async function issueRefresh(tx: Tx, tenantId: string, userId: string, familyId: string, secret = newRefreshSecret()): Promise<IssuedRefresh> {
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000)
  const [row] = await tx.insert(refreshTokens).values({ tenantId, userId, familyId, tokenHash: sha256(secret), expiresAt })
    .returning({ id: refreshTokens.id })
  return { token: `${row!.id}.${secret}`, expiresAt }
}

/** The cache key of a session's revocation marker (read by principals.ts too). */
export const revokedKey = (sessionId: string) => `session:revoked:${sessionId}`

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
 * continues the transaction in `homeTenantId` as that user. Call it first in a platform
 * transaction (the route's platform unit): it reads the memberships as the platform role, which it
 * then leaves.
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

/** A member's sign-in details, read before any password is checked. */
export interface SignInCandidate { id: string, email: string, name: string, passwordHash: string | null, roles: string[] }

/** Sign-in, step 1, in a read of the tenant: the member with this e-mail, if any. */
export async function findSignInCandidate(tx: Tx, email: string): Promise<SignInCandidate | undefined> {
  return (await tx
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, roles: memberships.roles })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(users.email, email.toLowerCase())))[0]
}

/**
 * Sign-in, step 2, outside any transaction (scrypt is slow): checks the password. Someone who is not
 * a member gets the same 401 as a wrong password, after the same amount of hashing work.
 */
export async function checkSignIn(found: SignInCandidate | undefined, password: string): Promise<SignInCandidate> {
  if (!found?.passwordHash) {
    await burnPasswordCheck(password)
    throw invalidCredentials()
  }
  if (!await verifyPassword(password, found.passwordHash)) throw invalidCredentials()
  return found
}

/**
 * Sign-in, step 3, in the route's unit of work: a new session (refresh family) and its audit event.
 * A sign-in by other means than the password (a handoff, handoff.ts) names it in `how`, recorded
 * in the event.
 */
export async function startSession(tx: Tx, tenantId: string, member: SignInCandidate, actor: Omit<Actor, 'type' | 'id'>, how?: Record<string, string>): Promise<IssuedSession> {
  const sessionId = crypto.randomUUID()
  const refresh = await issueRefresh(tx, tenantId, member.id, sessionId)
  await recordAudit(tx, tenantId, { ...actor, type: 'user', id: member.id }, { action: 'auth.login', entityType: 'user', entityId: member.id, after: how })
  return { user: { id: member.id, email: member.email, name: member.name }, roles: member.roles, sessionId, refresh }
}

/** 401 INVALID_REFRESH_TOKEN: unknown, expired, reused or revoked (one answer for all). */
export const invalidRefreshToken = () => new UnauthenticatedError('Refresh token is not valid', 'INVALID_REFRESH_TOKEN')

/**
 * Exchanges a refresh token for a new one (rotation), in the route's unit of work; null when the
 * token is not valid, and the route answers `invalidRefreshToken()` once the unit has committed:
 * a reused token revokes its whole family, and that revocation must be kept (it is marked in the
 * cache after the commit).
 */
export async function rotateRefresh(tx: Tx, unit: AfterCommit, tenantId: string, presented: string): Promise<IssuedSession | null> {
  const parsed = parseRefreshToken(presented)
  if (!parsed) return null
  const outcome = await rotate(tx, tenantId, parsed)
  if (outcome.kind === 'reused') unit.afterCommit(() => markSessionsRevoked([outcome.familyId]))
  if (outcome.kind !== 'ok') return null
  return { user: outcome.user, roles: outcome.roles, sessionId: outcome.sessionId, refresh: outcome.refresh }
}

/** The rotation itself: the presented token locked, then spent (a new one issued) or its family revoked. */
async function rotate(tx: Tx, tenantId: string, parsed: { id: string, secret: string }) {
  const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id)).for('update')
  if (!row || !safeEqualHex(row.tokenHash, sha256(parsed.secret))) return { kind: 'invalid' as const }
  const successorSecret = successorRefreshSecret(useConfig().jwtSecret, parsed.secret)
  const duplicate = row.usedAt && !row.revokedAt ? await concurrentDuplicate(tx, row, successorSecret) : undefined
  if (duplicate) {
    const member = await currentMember(tx, row.userId)
    if (!member) return { kind: 'invalid' as const }
    return { kind: 'ok' as const, user: member.user, roles: member.roles, sessionId: row.familyId, refresh: duplicate }
  }
  if (row.usedAt || row.revokedAt) {
    await tx.update(refreshTokens).set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
    await recordAudit(tx, tenantId, { type: 'system' }, { action: 'auth.refresh_reuse', entityType: 'user', entityId: row.userId, after: { familyId: row.familyId } })
    return { kind: 'reused' as const, familyId: row.familyId }
  }
  if (row.expiresAt <= new Date()) return { kind: 'invalid' as const }
  const member = await currentMember(tx, row.userId)
  if (!member) return { kind: 'invalid' as const }
  await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id))
  const refresh = await issueRefresh(tx, tenantId, row.userId, row.familyId, successorSecret)
  return { kind: 'ok' as const, user: member.user, roles: member.roles, sessionId: row.familyId, refresh }
}

/** The member a refresh token belongs to, with their roles now; none once they left the tenant. */
async function currentMember(tx: Tx, userId: string): Promise<{ user: SessionUser, roles: string[] } | undefined> {
  const [member] = await tx.select({ id: users.id, email: users.email, name: users.name, roles: memberships.roles })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, userId))
  return member && { user: { id: member.id, email: member.email, name: member.name }, roles: member.roles }
}

/**
 * The grace window: when the spent token `row` was rotated at most `REFRESH_REUSE_GRACE_SECONDS`
 * ago and the token that rotation issued (found by the hash of its derived secret) is still
 * unused, unrevoked and unexpired, that token again; otherwise nothing, and the caller treats the
 * presentation as reuse.
 */
async function concurrentDuplicate(tx: Tx, row: typeof refreshTokens.$inferSelect, successorSecret: string): Promise<IssuedRefresh | undefined> {
  if (!row.usedAt || Date.now() - row.usedAt.getTime() > REFRESH_REUSE_GRACE_SECONDS * 1000) return undefined
  const [successor] = await tx.select({ id: refreshTokens.id, expiresAt: refreshTokens.expiresAt }).from(refreshTokens)
    .where(and(eq(refreshTokens.familyId, row.familyId), eq(refreshTokens.tokenHash, sha256(successorSecret)),
      isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, new Date())))
  return successor && { token: `${successor.id}.${successorSecret}`, expiresAt: successor.expiresAt }
}

/**
 * Sign-out: revokes the session of the presented refresh token and the caller's own session (the
 * access token's `sid`), so both the refresh token and the access token stop working at once.
 * Unknown refresh tokens are ignored. In the route's unit of work; the sessions are marked revoked
 * once it has committed.
 */
export async function signOut(tx: Tx, unit: AfterCommit, tenantId: string, presented: string | undefined, actor: Actor, sessionId?: string): Promise<void> {
  const parsed = presented ? parseRefreshToken(presented) : null
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
  unit.afterCommit(() => markSessionsRevoked(families))
}

export interface Principal {
  user: SessionUser
  roles: string[]
  tenant: { id: string, slug: string, name: string, status: string, baseCurrency: string, fiscalYearStartMonth: number }
}

export const principalCacheKey = (tenantId: string, userId: string) => `tenant:${tenantId}:member:${userId}`

/**
 * A new password checked against the policy (400 WEAK_PASSWORD naming `field`) and hashed, before
 * any transaction opens (scrypt is slow).
 */
export async function prepareNewPassword(password: string, field: string, label = field): Promise<string> {
  const problem = passwordProblem(password)
  if (problem) throw new ValidationError(`${label} ${problem}`, { [field]: problem }, 'WEAK_PASSWORD')
  return hashPassword(password)
}

/**
 * Changes the caller's password (hashed with `prepareNewPassword`) and signs out every other session
 * of theirs, in this tenant and in every other tenant they belong to (the session making the change
 * stays signed in). In the route's platform unit of work, one transaction: a wrong current password
 * changes and revokes nothing. The sessions are marked revoked once it has committed.
 */
export async function changeOwnPassword(p: PlatformTx, unit: AfterCommit, tenantId: string, actor: Actor & { id: string }, currentPassword: string, passwordHash: string, sessionId: string): Promise<void> {
  const elsewhere = await revokeSessionsElsewhere(p, actor.id, tenantId, 'password_change', actor)
  const [me] = await p.tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.id))
  if (!me?.hash || !await verifyPassword(currentPassword, me.hash)) throw new RuleError('The current password is wrong', 'WRONG_PASSWORD', { currentPassword: 'is wrong' })
  await p.tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, actor.id))
  const here = await revokeUserSessions(p.tx, actor.id, sessionId)
  await recordAudit(p.tx, tenantId, actor, { action: 'user.password_change', entityType: 'user', entityId: actor.id, after: { sessionsRevoked: elsewhere.length + here.length } })
  unit.afterCommit(() => markSessionsRevoked([...elsewhere, ...here]))
}

/**
 * Tells a member that strangers used up the sign-in budget of their account (see
 * server/utils/throttle.ts). Nothing happens when the address is not a member here, so failed
 * sign-ins cannot be used to send mail to arbitrary addresses. In the route's unit of work; the
 * mail is dispatched once it has committed.
 */
export async function notifySignInAttempts(tx: Tx, outbox: MailCollector, tenantId: string, email: string, alert: { attempts: number, windowMinutes: number }, meta: Omit<Actor, 'type' | 'id'>): Promise<void> {
  const [member] = await tx.select({ id: users.id, email: users.email }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, email.trim().toLowerCase()))
  if (!member) return
  const [tenant] = await tx.select({ name: tenants.name, slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
  const mail = renderSignInAlertMail({ tenantName: tenant!.name, ...alert, resetLink: tenantLink(tenant!.slug, '/forgot-password') })
  const queued = await queueMail(tx, tenantId, { kind: 'sign_in_alert', to: [member.email], ...mail })
  await recordAudit(tx, tenantId, { ...meta, type: 'system' }, { action: 'auth.login_throttled', entityType: 'user', entityId: member.id, after: alert })
  outbox.add(tenantId, queued.id)
}
