/**
 * Password reset by e-mailed token, requested on a tenant's host.
 *
 * A request always gets the same answer, whether or not the e-mail belongs to a member here (no
 * account enumeration); requests are counted per client IP and per e-mail address. For a member,
 * a token (32 random bytes, stored as SHA-256) valid for one hour and once is mailed; earlier
 * unused tokens of that member in this tenant stop working. Confirming sets the password and
 * revokes every session of that person, here and in their other tenants (the password is theirs,
 * not the membership's), refresh and access tokens alike, so a thief's sessions end too.
 *
 * Every function takes the route's transaction: the request in its tenant unit of work, the
 * confirmation in a platform unit of work (the other tenants' sessions are revoked with it).
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { memberships, passwordResets, tenants, users } from '../../../db/schema'
import type { PlatformTx, Tx } from '../../../db/tenant'
import { incrementWindow } from '../../core/cache'
import { recordAudit, type Actor } from '../audit/audit'
import { RateLimitError, ValidationError } from '../errors'
import { tenantLink } from '../mail/links'
import { queueMail, type MailCollector } from '../mail/outbox'
import { renderPasswordResetMail } from '../mail/templates'
import { newEmailToken } from './invitations'
import type { AfterCommit } from '../unit'
import { markSessionsRevoked, revokeSessionsElsewhere, revokeUserSessions } from './sessions'
import { sha256 } from './tokens'

export const RESET_TTL_MINUTES = 60
const WINDOW_SECONDS = 15 * 60
const PER_EMAIL_LIMIT = 5
const PER_IP_LIMIT = 30

const invalid = () => new ValidationError('This password reset link is not valid (unknown, expired or already used); ask for a new one', { token: 'is not valid' }, 'RESET_TOKEN_INVALID')

/**
 * Counts a reset request: at most 5 per e-mail address (per tenant) and 30 per client IP in
 * 15 minutes; past that 429, whether or not the address is known.
 */
export async function checkPasswordResetRate(tenantId: string, email: string, ip: string): Promise<void> {
  const [byEmail, byIp] = await Promise.all([
    incrementWindow(`ratelimit:password-reset:${tenantId}:${email.toLowerCase()}`, WINDOW_SECONDS),
    incrementWindow(`ratelimit:password-reset-ip:${ip}`, WINDOW_SECONDS),
  ])
  if (byEmail > PER_EMAIL_LIMIT || byIp > PER_IP_LIMIT) {
    throw new RateLimitError('Too many password reset requests; try again later', WINDOW_SECONDS, 'TOO_MANY_REQUESTS')
  }
}

/**
 * Mails a reset link when `email` belongs to a member of this tenant; does nothing visible
 * otherwise. In the route's unit of work: the mail is written with the token and dispatched once it
 * has committed.
 */
export async function requestPasswordReset(tx: Tx, outbox: MailCollector, tenantId: string, email: string, meta: Omit<Actor, 'type' | 'id'>): Promise<void> {
  const [member] = await tx.select({ id: users.id, email: users.email }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, email.toLowerCase()))
  if (!member) return
  const [tenant] = await tx.select({ name: tenants.name, slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
  const now = new Date()
  await tx.update(passwordResets).set({ expiresAt: now })
    .where(and(eq(passwordResets.userId, member.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
  const { token, hash } = newEmailToken()
  const [row] = await tx.insert(passwordResets)
    .values({ tenantId, userId: member.id, tokenHash: hash, expiresAt: new Date(now.getTime() + RESET_TTL_MINUTES * 60_000) })
    .returning({ id: passwordResets.id })
  const mail = renderPasswordResetMail({ tenantName: tenant!.name, link: tenantLink(tenant!.slug, `/reset-password/${token}`), expiresInMinutes: RESET_TTL_MINUTES })
  const queued = await queueMail(tx, tenantId, { kind: 'password_reset', to: [member.email], ...mail })
  await recordAudit(tx, tenantId, { ...meta, type: 'system' }, { action: 'user.password_reset_request', entityType: 'user', entityId: member.id, after: { resetId: row!.id } })
  outbox.add(tenantId, queued.id)
}

/**
 * The open reset behind a token (unused, unexpired, member still here), optionally locked; 400
 * RESET_TOKEN_INVALID otherwise. Read in the tenant before the new password is hashed.
 */
export async function openReset(tx: Tx, token: string, lock = false): Promise<{ id: string, userId: string }> {
  const query = tx.select({ id: passwordResets.id, userId: passwordResets.userId }).from(passwordResets)
    .innerJoin(memberships, eq(memberships.userId, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
  const [row] = lock ? await query.for('update', { of: passwordResets }) : await query
  if (!row) throw invalid()
  return row
}

/**
 * Sets a new password (hashed with `prepareNewPassword`, after `openReset` found the token) with a
 * reset token, marks the token used and signs the person out everywhere. In the route's platform
 * unit of work, one transaction: the other tenants' sessions first, then, acting as the member in
 * this tenant (the users table lets a member update only their own row, RLS self_update), the reset
 * itself. The sessions are marked revoked once it has committed.
 */
export async function confirmPasswordReset(p: PlatformTx, unit: AfterCommit, tenantId: string, userId: string, token: string, passwordHash: string, meta: Omit<Actor, 'type' | 'id'>): Promise<void> {
  const elsewhere = await revokeSessionsElsewhere(p, userId, tenantId, 'password_reset', meta)
  const reset = await openReset(p.tx, token, true)
  const now = new Date()
  await p.tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, reset.userId))
  await p.tx.update(passwordResets).set({ usedAt: now }).where(eq(passwordResets.id, reset.id))
  const here = await revokeUserSessions(p.tx, reset.userId)
  await recordAudit(p.tx, tenantId, { ...meta, type: 'user', id: reset.userId }, { action: 'user.password_reset', entityType: 'user', entityId: reset.userId, after: { resetId: reset.id } })
  unit.afterCommit(() => markSessionsRevoked([...elsewhere, ...here]))
}
