/**
 * Invitations to a tenant. Adding a member without a password (a new account, or an existing
 * platform user) creates one and mails its link in the same transaction (transactional outbox).
 *
 * The token is 32 random bytes (base64url) shown only in the mail; the table keeps its SHA-256.
 * A token is valid for 7 days, once, and only while the membership exists; a re-sent invitation
 * expires the earlier ones. Every way a token can be wrong (unknown, expired, used, member removed)
 * answers the same 404 INVITATION_INVALID, so the answer reveals nothing about other tokens.
 *
 * Accepting sets the password of an account that has none (a new user's first password) and marks
 * the invitation accepted; an existing account's password and name are never changed here.
 */
import { randomBytes } from 'node:crypto'
import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm'
import { invitations, memberships, tenants, users } from '../../../db/schema'
import { withTenant, type Tx } from '../../../db/tenant'
import { log } from '../../core/log'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import { tenantLink } from '../mail/links'
import { queueMail, type MailCollector } from '../mail/outbox'
import { renderInvitationMail } from '../mail/templates'
import { notifyUsers } from '../notifications/notify'
import { hashPassword, passwordProblem } from './passwords'
import { sha256 } from './tokens'

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000

const invalid = () => new NotFoundError('Invitation', 'INVITATION_INVALID')

/** A fresh single-use token and the hash that is stored for it. */
export function newEmailToken(): { token: string, hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: sha256(token) }
}

export interface IssuedInvitation { id: string, email: string, expiresAt: Date }

/**
 * Creates an invitation for a member of this tenant and queues its mail, inside the caller's
 * transaction; earlier open invitations of that member expire. The mail id goes to `outbox`, to be
 * dispatched after the commit.
 */
export async function createInvitation(tx: Tx, tenantId: string, actor: Actor, userId: string, outbox: MailCollector): Promise<IssuedInvitation> {
  const [person] = await tx.select({ email: users.email, hasPassword: sql<boolean>`${users.passwordHash} is not null` }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, userId))
  if (!person) throw new NotFoundError('User')
  const [tenant] = await tx.select({ name: tenants.name, slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
  const inviter = actor.type === 'user' && actor.id
    ? (await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id)))[0]?.name
    : undefined

  const now = new Date()
  await tx.update(invitations).set({ expiresAt: now })
    .where(and(eq(invitations.userId, userId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
  const { token, hash } = newEmailToken()
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS)
  const [row] = await tx.insert(invitations)
    .values({ tenantId, userId, email: person.email, tokenHash: hash, invitedBy: actor.type === 'user' ? actor.id : null, expiresAt })
    .returning({ id: invitations.id })

  const mail = renderInvitationMail({
    tenantName: tenant!.name,
    inviterName: inviter,
    link: tenantLink(tenant!.slug, `/invitation/${token}`),
    expiresAt,
    newAccount: !person.hasPassword,
  })
  const queued = await queueMail(tx, tenantId, { kind: 'invitation', to: [person.email], ...mail })
  outbox.add(tenantId, queued.id)
  await recordAudit(tx, tenantId, actor, { action: 'invitation.create', entityType: 'user', entityId: userId, after: { invitationId: row!.id, email: person.email, expiresAt: expiresAt.toISOString() } })
  return { id: row!.id, email: person.email, expiresAt }
}

/** Re-sends a member's invitation with a new token (the old one stops working). */
export async function resendInvitation(tx: Tx, tenantId: string, actor: Actor, userId: string, outbox: MailCollector): Promise<IssuedInvitation> {
  const [accepted] = await tx.select({ id: invitations.id }).from(invitations)
    .where(and(eq(invitations.userId, userId), isNotNull(invitations.acceptedAt))).limit(1)
  if (accepted) throw new ConflictError('This member already accepted an invitation', 'INVITATION_ALREADY_ACCEPTED')
  return createInvitation(tx, tenantId, actor, userId, outbox)
}

interface OpenInvitation { id: string, userId: string, email: string, name: string, needsPassword: boolean, expiresAt: Date, tenantName: string }

/** The open invitation behind a token, with its member; locked for update when asked. */
async function openInvitation(tx: Tx, token: string, lock = false): Promise<OpenInvitation> {
  const query = tx.select({
    id: invitations.id, userId: invitations.userId, email: users.email, name: users.name,
    needsPassword: sql<boolean>`${users.passwordHash} is null`, expiresAt: invitations.expiresAt, tenantName: tenants.name,
  }).from(invitations)
    .innerJoin(memberships, eq(memberships.userId, invitations.userId))
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, sql`now()`)))
  const [row] = lock ? await query.for('update', { of: invitations }) : await query
  if (!row) throw invalid()
  return row
}

export interface InvitationInfo { email: string, tenantName: string, needsPassword: boolean, expiresAt: Date }

/** What the invitation page shows before accepting. */
export async function describeInvitation(tenantId: string, token: string): Promise<InvitationInfo> {
  const found = await withTenant(tenantId, tx => openInvitation(tx, token))
  return { email: found.email, tenantName: found.tenantName, needsPassword: found.needsPassword, expiresAt: found.expiresAt }
}

export interface AcceptInput { name?: string, password?: string }

/**
 * Accepts an invitation: a new account gets its password (and optionally its name), an existing
 * one only records the acceptance. The tenant's owners and admins are notified afterwards.
 */
export async function acceptInvitation(tenantId: string, token: string, input: AcceptInput, meta: Omit<Actor, 'type' | 'id'>): Promise<{ email: string }> {
  const found = await withTenant(tenantId, tx => openInvitation(tx, token))
  if (found.needsPassword) {
    if (!input.password) throw new ValidationError('Choose a password for your new account', { password: 'is required' })
    const problem = passwordProblem(input.password)
    if (problem) throw new ValidationError(`password ${problem}`, { password: problem }, 'WEAK_PASSWORD')
  }
  else if (input.password) {
    throw new RuleError('This e-mail already has an account with a password; accept without one', 'EXISTING_USER_PASSWORD', { password: 'must be omitted for an existing account' })
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined
  const actor: Actor = { ...meta, type: 'user', id: found.userId }

  // The second transaction acts as the invited user: the users table lets a member update only
  // their own row (RLS self_update), and only a token holder gets here.
  const accepted = await withTenant(tenantId, async (tx) => {
    const current = await openInvitation(tx, token, true)
    if (passwordHash) {
      const changed = await tx.update(users).set({ passwordHash, ...(input.name ? { name: input.name } : {}), updatedAt: new Date() })
        .where(and(eq(users.id, current.userId), isNull(users.passwordHash))).returning({ id: users.id })
      // Someone set this account's password meanwhile (another invitation, a reset): never overwrite it.
      if (!changed.length) throw new RuleError('This account got a password meanwhile; accept without one', 'EXISTING_USER_PASSWORD', { password: 'must be omitted for an existing account' })
    }
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, current.id))
    await recordAudit(tx, tenantId, actor, { action: 'invitation.accept', entityType: 'user', entityId: current.userId, after: { invitationId: current.id, passwordSet: !!passwordHash } })
    return { id: current.id, label: (passwordHash && input.name) || current.name || current.email }
  }, { userId: found.userId })

  // After the commit: a failed notification must not undo (or fail) an accepted invitation.
  await notifyUsers(tenantId, 'admins', {
    type: 'invitation.accepted',
    title: `${accepted.label} accepted the invitation`,
    link: '/settings/users',
    dedupeKey: `invitation:${accepted.id}`,
  }).catch((err: unknown) => log.warn('invitation notification failed', { tenantId, error: err instanceof Error ? err.message : String(err) }))
  return { email: found.email }
}
