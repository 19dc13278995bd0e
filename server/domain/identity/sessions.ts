/**
 * Tenant sign-in, refresh-token rotation and sign-out, and the per-request principal check.
 *
 * Refresh tokens rotate on every use. Presenting a token that was already used (or revoked) means
 * it leaked: the whole family is revoked and the caller gets 401, so a thief and the victim are both
 * signed out of that session.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { memberships, refreshTokens, tenants, users } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { withCache } from '../../core/cache'
import { recordAudit, type Actor } from '../audit/audit'
import { RuleError, UnauthenticatedError, ValidationError } from '../errors'
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from './passwords'
import { newRefreshSecret, parseRefreshToken, REFRESH_TOKEN_TTL_SECONDS, safeEqualHex, sha256 } from './tokens'

export interface SessionUser { id: string, email: string, name: string }
export interface IssuedRefresh { token: string, expiresAt: Date }

const invalidCredentials = () => new UnauthenticatedError('E-mail or password is wrong', 'INVALID_CREDENTIALS')

async function issueRefresh(tx: Parameters<Parameters<typeof withTenant>[1]>[0], tenantId: string, userId: string, familyId?: string): Promise<IssuedRefresh> {
  const secret = newRefreshSecret()
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000)
  const [row] = await tx.insert(refreshTokens).values({
    tenantId,
    userId,
    familyId: familyId ?? crypto.randomUUID(),
    tokenHash: sha256(secret),
    expiresAt,
  }).returning({ id: refreshTokens.id })
  return { token: `${row!.id}.${secret}`, expiresAt }
}

/**
 * Checks e-mail and password for a member of this tenant. Someone who is not a member gets the same
 * 401 as a wrong password, after the same amount of hashing work.
 */
export async function signIn(tenantId: string, email: string, password: string, actor: Omit<Actor, 'type' | 'id'>):
Promise<{ user: SessionUser, roles: string[], refresh: IssuedRefresh }> {
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
    const refresh = await issueRefresh(tx, tenantId, found.id)
    await recordAudit(tx, tenantId, { ...actor, type: 'user', id: found.id }, { action: 'auth.login', entityType: 'user', entityId: found.id })
    return { user: { id: found.id, email: found.email, name: found.name }, roles: found.roles, refresh }
  })
}

/** Exchanges a refresh token for a new one (rotation); reuse revokes the family. */
export async function rotateRefresh(tenantId: string, presented: string): Promise<{ user: SessionUser, roles: string[], refresh: IssuedRefresh }> {
  const parsed = parseRefreshToken(presented)
  if (!parsed) throw new UnauthenticatedError('Refresh token is not valid', 'INVALID_REFRESH_TOKEN')
  const outcome = await withTenant(tenantId, async (tx) => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id)).for('update')
    if (!row || !safeEqualHex(row.tokenHash, sha256(parsed.secret))) return { kind: 'invalid' as const }
    if (row.usedAt || row.revokedAt) {
      await tx.update(refreshTokens).set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
      await recordAudit(tx, tenantId, { type: 'system' }, { action: 'auth.refresh_reuse', entityType: 'user', entityId: row.userId, after: { familyId: row.familyId } })
      return { kind: 'reused' as const }
    }
    if (row.expiresAt <= new Date()) return { kind: 'invalid' as const }
    const [member] = await tx.select({ id: users.id, email: users.email, name: users.name, roles: memberships.roles })
      .from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, row.userId))
    if (!member) return { kind: 'invalid' as const }
    await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id))
    const refresh = await issueRefresh(tx, tenantId, row.userId, row.familyId)
    return { kind: 'ok' as const, user: { id: member.id, email: member.email, name: member.name }, roles: member.roles, refresh }
  })
  if (outcome.kind !== 'ok') throw new UnauthenticatedError('Refresh token is not valid', 'INVALID_REFRESH_TOKEN')
  return outcome
}

/** Revokes the family of the presented refresh token (sign-out); unknown tokens are ignored. */
export async function signOut(tenantId: string, presented: string | undefined, actor: Actor): Promise<void> {
  const parsed = presented ? parseRefreshToken(presented) : null
  await withTenant(tenantId, async (tx) => {
    if (parsed) {
      const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id))
      if (row && safeEqualHex(row.tokenHash, sha256(parsed.secret))) {
        await tx.update(refreshTokens).set({ revokedAt: new Date() })
          .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
      }
    }
    if (actor.id) await recordAudit(tx, tenantId, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.id })
  })
}

export interface Principal {
  user: SessionUser
  roles: string[]
  tenant: { id: string, slug: string, name: string, status: string, baseCurrency: string, fiscalYearStartMonth: number }
}

export const principalCacheKey = (tenantId: string, userId: string) => `tenant:${tenantId}:member:${userId}`
const PRINCIPAL_TTL_SECONDS = 30

/**
 * The membership behind a verified token, re-read at most every 30 s (the cache entry is cleared
 * whenever the membership or the tenant changes). Null when the user is no longer a member.
 */
export function loadPrincipal(tenantId: string, userId: string): Promise<Principal | null> {
  return withCache(principalCacheKey(tenantId, userId), PRINCIPAL_TTL_SECONDS, () => withTenant(tenantId, async (tx) => {
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
  }))
}

export async function changeOwnPassword(tenantId: string, actor: Actor & { id: string }, currentPassword: string, newPassword: string): Promise<void> {
  const problem = passwordProblem(newPassword)
  if (problem) throw new ValidationError(`new password ${problem}`, { newPassword: problem }, 'WEAK_PASSWORD')
  await withTenant(tenantId, async (tx) => {
    const [me] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.id))
    if (!me?.hash || !await verifyPassword(currentPassword, me.hash)) throw new RuleError('The current password is wrong', 'WRONG_PASSWORD', { currentPassword: 'is wrong' })
    await tx.update(users).set({ passwordHash: await hashPassword(newPassword), updatedAt: new Date() }).where(eq(users.id, actor.id))
    await recordAudit(tx, tenantId, actor, { action: 'user.password_change', entityType: 'user', entityId: actor.id })
  }, { userId: actor.id })
}
