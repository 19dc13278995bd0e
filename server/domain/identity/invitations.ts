/**
 * Invitations to a tenant. An open invitation is the pending membership (members.ts): the e-mail
 * and optional name the admin typed, and the roles to grant. Creating one and writing its mail
 * happen in one transaction (transactional outbox) and never look at the platform's accounts.
 *
 * The token is 32 random bytes (base64url) shown only in the mail; the table keeps its SHA-256.
 * A token is valid for 7 days and once; a re-send gives the same invitation a new token (the old
 * one stops working). Every way a token can be wrong (unknown, expired, used, replaced, withdrawn,
 * another tenant's) answers the same 404 INVITATION_INVALID.
 *
 * Accepting is where the account comes in, seen only by the token holder: an e-mail without a
 * Paksa account chooses its name and password; an existing account confirms with its own current
 * password (422 WRONG_PASSWORD otherwise) and keeps its password and name. Only then does the
 * membership exist, and only then does the tenant see the account's id and name.
 *
 * Every function takes the route's transaction. The invited account is read in a platform
 * transaction of the route (`invitedAccount`): the tenant's role cannot see accounts outside it.
 */
import { randomBytes } from 'node:crypto'
import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm'
import { invitations, memberships, tenants, users } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { log } from '../../core/log'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError, RuleError, ValidationError } from '../errors'
import { tenantLink } from '../mail/links'
import { queueMail, type MailCollector } from '../mail/outbox'
import { renderInvitationMail } from '../mail/templates'
import { getFormatSettings } from '../settings/settings'
import { notifyUsers } from '../notifications/notify'
import type { AfterCommit } from '../unit'
import { hashPassword, passwordProblem, verifyPassword } from './passwords'
import { sha256 } from './tokens'

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000

const invalid = () => new NotFoundError('Invitation', 'INVITATION_INVALID')

/** A fresh single-use token and the hash that is stored for it. */
export function newEmailToken(): { token: string, hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: sha256(token) }
}

export interface IssuedInvitation { id: string, email: string, expiresAt: Date }

/** A token for an invitation: the link goes into the mail, the hash into the row. */
function issueToken(): { token: string, hash: string, expiresAt: Date } {
  return { ...newEmailToken(), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) }
}

/** Queues the invitation mail with its link (inside the caller's transaction). */
async function queueInvitationMail(tx: Tx, tenantId: string, actor: Actor, email: string, issued: { token: string, expiresAt: Date }, outbox: MailCollector): Promise<void> {
  const [tenant] = await tx.select({ name: tenants.name, slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
  const inviter = actor.type === 'user' && actor.id
    ? (await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id)))[0]?.name
    : undefined
  const format = await getFormatSettings(tx)
  const mail = renderInvitationMail({ tenantName: tenant!.name, inviterName: inviter, link: tenantLink(tenant!.slug, `/invitation/${issued.token}`), expiresAt: issued.expiresAt, format })
  const queued = await queueMail(tx, tenantId, { kind: 'invitation', to: [email], ...mail })
  outbox.add(tenantId, queued.id)
}

export interface NewInvitation { email: string, name: string | null, roles: string[] }

/**
 * Creates an invitation (a pending membership) and queues its mail, inside the caller's
 * transaction. A second open invitation for the same e-mail is 409 ALREADY_MEMBER.
 */
export async function createInvitation(tx: Tx, tenantId: string, actor: Actor, input: NewInvitation, outbox: MailCollector): Promise<IssuedInvitation> {
  const issued = issueToken()
  let id: string
  try {
    ;[{ id }] = await tx.insert(invitations)
      .values({ tenantId, email: input.email, name: input.name, roles: input.roles, tokenHash: issued.hash, invitedBy: actor.type === 'user' ? actor.id : null, expiresAt: issued.expiresAt })
      .returning({ id: invitations.id }) as [{ id: string }]
  }
  catch (err) {
    // The transaction is rolled back with this error: nothing of the request is kept.
    if (isUniqueViolation(err, 'invitations_open_email_key')) throw new ConflictError('This person is already invited', 'ALREADY_MEMBER', { email: 'is already invited' })
    throw err
  }
  await queueInvitationMail(tx, tenantId, actor, input.email, issued, outbox)
  await recordAudit(tx, tenantId, actor, { action: 'invitation.create', entityType: 'user', entityId: id, after: { email: input.email, name: input.name, roles: input.roles, expiresAt: issued.expiresAt.toISOString() } })
  return { id, email: input.email, expiresAt: issued.expiresAt }
}

/** Re-sends a pending member's invitation with a new token (the old one stops working). */
export async function resendInvitation(tx: Tx, tenantId: string, actor: Actor, id: string, outbox: MailCollector): Promise<IssuedInvitation> {
  const issued = issueToken()
  const [open] = await tx.update(invitations).set({ tokenHash: issued.hash, expiresAt: issued.expiresAt, updatedAt: new Date() })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt)))
    .returning({ email: invitations.email })
  if (!open) {
    // Asked by the invitation's id after it was accepted, or by the active member's own id.
    const [accepted] = await tx.select({ id: invitations.id }).from(invitations).where(and(eq(invitations.id, id), isNotNull(invitations.acceptedAt)))
    const [member] = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.userId, id))
    if (accepted || member) throw new ConflictError('This member already accepted an invitation', 'INVITATION_ALREADY_ACCEPTED')
    throw new NotFoundError('User')
  }
  await queueInvitationMail(tx, tenantId, actor, open.email, issued, outbox)
  await recordAudit(tx, tenantId, actor, { action: 'invitation.resend', entityType: 'user', entityId: id, after: { email: open.email, expiresAt: issued.expiresAt.toISOString() } })
  return { id, email: open.email, expiresAt: issued.expiresAt }
}

export interface OpenInvitation { id: string, email: string, name: string | null, roles: string[], expiresAt: Date, tenantName: string }

/** The open invitation behind a token (404 INVITATION_INVALID otherwise); locked for update when asked. */
export async function openInvitation(tx: Tx, token: string, lock = false): Promise<OpenInvitation> {
  const query = tx.select({
    id: invitations.id, email: invitations.email, name: invitations.name, roles: invitations.roles,
    expiresAt: invitations.expiresAt, tenantName: tenants.name,
  }).from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, sql`now()`)))
  const [row] = lock ? await query.for('update', { of: invitations }) : await query
  if (!row) throw invalid()
  return row
}

export interface InvitedAccount { id: string, name: string, passwordHash: string }

/**
 * The platform account of the invited e-mail, if it has one with a password (the only kind that can
 * sign in). In a platform transaction of the route: the tenant's role cannot see accounts outside
 * it. The answer goes only to the token holder, the mailbox's owner.
 */
export async function invitedAccount(tx: Tx, email: string): Promise<InvitedAccount | null> {
  const [row] = await tx.select({ id: users.id, name: users.name, passwordHash: users.passwordHash }).from(users).where(eq(users.email, email))
  return row?.passwordHash ? { id: row.id, name: row.name, passwordHash: row.passwordHash } : null
}

export interface InvitationInfo { email: string, name: string | null, tenantName: string, newAccount: boolean, expiresAt: Date }

/** What the invitation page shows before accepting (to the token holder only). */
export function describeInvitation(found: OpenInvitation, account: InvitedAccount | null): InvitationInfo {
  return { email: found.email, name: found.name, tenantName: found.tenantName, newAccount: !account, expiresAt: found.expiresAt }
}

export interface AcceptInput { name?: string, password: string }

/** Who accepts: the existing account (its password checked), or a new one (name and hashed password). */
export type Acceptor = { account: InvitedAccount } | { newAccount: { name: string, passwordHash: string } }

/**
 * Before the acceptance's transaction (scrypt is slow): an existing account must give its current
 * password (422 WRONG_PASSWORD); a new one needs a name and a password the policy accepts.
 */
export async function prepareAcceptance(found: OpenInvitation, account: InvitedAccount | null, input: AcceptInput): Promise<Acceptor> {
  if (account) {
    if (!await verifyPassword(input.password, account.passwordHash)) {
      throw new RuleError('This is not the password of the Paksa account with this e-mail', 'WRONG_PASSWORD', { password: 'is not this account\'s password' })
    }
    return { account }
  }
  const name = input.name ?? found.name
  if (!name) throw new ValidationError('Tell us your name', { name: 'is required' })
  const problem = passwordProblem(input.password)
  if (problem) throw new ValidationError(`password ${problem}`, { password: problem }, 'WEAK_PASSWORD')
  return { newAccount: { name, passwordHash: await hashPassword(input.password) } }
}

/**
 * Accepts an invitation in the route's unit of work (after `openInvitation`, `invitedAccount` and
 * `prepareAcceptance`): a new account is created with its name and first password; an existing
 * account is left as it is. The membership is created with the invited roles and the invitation is
 * spent, in one transaction; the tenant's owners and admins are notified once it has committed.
 */
export async function acceptInvitation(tx: Tx, unit: AfterCommit, tenantId: string, token: string, acceptor: Acceptor, meta: Omit<Actor, 'type' | 'id'>): Promise<void> {
  const newAccount = 'newAccount' in acceptor ? acceptor.newAccount : null
  const account = 'account' in acceptor ? acceptor.account : null
  // Locked and re-read: of two acceptances with one token, the second finds it spent (404).
  const current = await openInvitation(tx, token, true)
  let userId: string
  if (newAccount) {
    const [row] = await tx.execute<{ user_id: string, claimed: boolean }>(
      sql`select * from app_claim_account(${current.email}, ${newAccount.name}, ${newAccount.passwordHash})`)
    // The e-mail got an account between reading the invitation and now: never take it over.
    if (!row!.claimed) throw new ConflictError('This e-mail got a Paksa account meanwhile; open the link again and use its password', 'ACCOUNT_EXISTS', { password: 'use the existing account\'s password' })
    userId = row!.user_id
  }
  else {
    userId = account!.id
  }
  const [added] = await tx.insert(memberships).values({ tenantId, userId, roles: current.roles }).onConflictDoNothing().returning({ userId: memberships.userId })
  if (!added) throw new ConflictError('This account is already a member here', 'ALREADY_MEMBER')
  await tx.update(invitations).set({ acceptedAt: new Date(), userId, updatedAt: new Date() }).where(eq(invitations.id, current.id))
  const actor: Actor = { ...meta, type: 'user', id: userId }
  await recordAudit(tx, tenantId, actor, { action: 'invitation.accept', entityType: 'user', entityId: userId, after: { invitationId: current.id, email: current.email, roles: current.roles, newAccount: !!newAccount } })
  const label = newAccount?.name ?? account!.name
  // After the commit, in its own transaction: a failed notification must not undo (or fail) an accepted invitation.
  unit.afterCommit(() => notifyUsers(tenantId, 'admins', {
    type: 'invitation.accepted',
    title: `${label} accepted the invitation`,
    link: '/settings/users',
    dedupeKey: `invitation:${current.id}`,
  }).catch((err: unknown) => log.warn('invitation notification failed', { tenantId, error: err instanceof Error ? err.message : String(err) })))
}
