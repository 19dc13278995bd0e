/**
 * Memberships of one tenant, as the `/api/v1/users` resource. A person exists once on the platform;
 * a tenant admin manages only memberships and roles here, and never an account.
 *
 * Adding a member always invites (SPEC §4): the open invitation is the pending membership (status
 * `invited`), holding only what the admin typed (e-mail, optional name) and the roles to grant. It
 * is written without looking at the platform's accounts, so the answer is the same whether or not
 * the e-mail has one, and no account's existence, id or name is visible to the tenant until the
 * person accepts (invitations.ts); then the membership is `active` under the account's own id.
 */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { invitations, memberships, refreshTokens, users } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from '../errors'
import type { MailCollector } from '../mail/outbox'
import { createInvitation } from './invitations'
import type { Role } from './rbac'

export interface Member {
  id: string
  email: string
  name: string | null
  roles: string[]
  status: 'active' | 'invited'
  version: number
  createdAt: Date
  updatedAt: Date
}

/**
 * Active memberships (with their account's e-mail and name) and pending ones (open invitations,
 * with only what the admin typed), as one relation. Row-level security keeps both to this tenant.
 */
const members = sql`(
  select u.id, u.email, u.name, m.roles, 'active' as status, m.version, m.created_at, m.updated_at
    from memberships m join users u on u.id = m.user_id
  union all
  select i.id, i.email, i.name, i.roles, 'invited' as status, i.version, i.created_at, i.updated_at
    from invitations i where i.accepted_at is null
) as members`

type MemberRow = { id: string, email: string, name: string | null, roles: string[], status: 'active' | 'invited', version: number, created_at: string | Date, updated_at: string | Date }

const toMember = (r: MemberRow): Member => ({
  id: r.id, email: r.email, name: r.name, roles: r.roles, status: r.status, version: r.version,
  createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
})

export interface MemberListQuery {
  page: number
  pageSize: number
  q?: string
  sort?: { field: 'email' | 'name' | 'createdAt', dir: 'asc' | 'desc' }
}

const SORT_COLUMNS = { email: sql`email`, name: sql`name`, createdAt: sql`created_at` }

export async function listMembers(tx: Tx, query: MemberListQuery): Promise<{ data: Member[], total: number }> {
  // q is literal text: escape LIKE's wildcards and its escape character.
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, m => `\\${m}`)}%` : undefined
  const where: SQL = like ? sql`where email ilike ${like} or name ilike ${like}` : sql``
  const column = SORT_COLUMNS[query.sort?.field ?? 'email']
  const dir = query.sort?.dir === 'desc' ? sql`desc` : sql`asc`
  const [{ total }] = await tx.execute<{ total: number }>(sql`select count(*)::int as total from ${members} ${where}`) as unknown as [{ total: number }]
  const rows = await tx.execute<MemberRow>(sql`select * from ${members} ${where}
    order by ${column} ${dir}, id asc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`)
  return { data: [...rows].map(toMember), total }
}

export async function getMember(tx: Tx, id: string): Promise<Member> {
  const [row] = await tx.execute<MemberRow>(sql`select * from ${members} where id = ${id}`)
  if (!row) throw new NotFoundError('User')
  return toMember(row)
}

/** Only an owner may grant or take away the owner role. */
function checkOwnershipChange(actorRoles: readonly string[], before: readonly string[], after: readonly string[]) {
  const touchesOwner = before.includes('owner') !== after.includes('owner')
  if (touchesOwner && !actorRoles.includes('owner')) throw new ForbiddenError('Only an owner can grant or remove the owner role', 'OWNER_ONLY')
}

/**
 * The tenant's owners, counted with their memberships locked (in one order) until the transaction
 * ends: two owners demoting or removing each other at once are serialised, and the second one sees
 * the first one's change, so a tenant never ends up without an owner.
 */
async function ownerCount(tx: Tx): Promise<number> {
  const owners = await tx.select({ userId: memberships.userId }).from(memberships)
    .where(sql`'owner' = any(${memberships.roles})`).orderBy(asc(memberships.userId)).for('update')
  return owners.length
}

export interface NewMember { email: string, name?: string, roles: Role[] }

/**
 * Invites a member: an open invitation (the pending membership) and its mail, queued in the same
 * transaction; the mail's id goes to `outbox`, to be dispatched once the transaction has committed.
 * Someone already a member here, or already invited, is 409 ALREADY_MEMBER — the tenant knows its
 * own members, so that answer tells it nothing new.
 */
export async function addMember(tx: Tx, tenantId: string, actor: Actor & { roles: readonly string[] }, input: NewMember, outbox: MailCollector): Promise<Member> {
  checkOwnershipChange(actor.roles, [], input.roles)
  const email = input.email.toLowerCase()
  const [member] = await tx.select({ id: users.id }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, email))
  if (member) throw new ConflictError('This person is already a member', 'ALREADY_MEMBER', { email: 'is already a member' })
  const invitation = await createInvitation(tx, tenantId, actor, { email, name: input.name ?? null, roles: input.roles }, outbox)
  return getMember(tx, invitation.id)
}

const staleVersion = () => new ConflictError('This user was changed by someone else; reload and try again', 'STALE_VERSION')

export async function updateMemberRoles(tx: Tx, tenantId: string, actor: Actor & { roles: readonly string[] }, id: string, roles: Role[], version?: number): Promise<Member> {
  const before = await getMember(tx, id)
  if (version !== undefined && version !== before.version) throw staleVersion()
  checkOwnershipChange(actor.roles, before.roles, roles)
  const set = { roles, updatedAt: new Date() }
  let updated: unknown[]
  if (before.status === 'invited') {
    // An invited owner is not an owner yet: only active owners count for LAST_OWNER.
    updated = await tx.update(invitations).set({ ...set, version: sql`${invitations.version} + 1` })
      .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt), version === undefined ? undefined : eq(invitations.version, version)))
      .returning({ id: invitations.id })
  }
  else {
    if (before.roles.includes('owner') && !roles.includes('owner') && await ownerCount(tx) <= 1) {
      throw new RuleError('A tenant must keep at least one owner', 'LAST_OWNER')
    }
    // The version is checked again in the write itself: of concurrent changes that read the same
    // version, the first one wins and the others see no matching row (409), never a lost update.
    updated = await tx.update(memberships).set({ ...set, version: sql`${memberships.version} + 1` })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, id), version === undefined ? undefined : eq(memberships.version, version)))
      .returning({ userId: memberships.userId })
  }
  if (!updated.length) {
    if (version === undefined) throw new NotFoundError('User')
    throw staleVersion()
  }
  const after = await getMember(tx, id)
  await recordAudit(tx, tenantId, actor, { action: before.status === 'invited' ? 'invitation.update' : 'membership.update', entityType: 'user', entityId: id, before: { roles: before.roles }, after: { roles: after.roles } })
  return after
}

/** Removes a member (their sessions here end at once), or withdraws a pending invitation (its link stops working). */
export async function removeMember(tx: Tx, tenantId: string, actor: Actor & { roles: readonly string[] }, id: string): Promise<void> {
  const before = await getMember(tx, id)
  checkOwnershipChange(actor.roles, before.roles, [])
  if (before.status === 'invited') {
    await tx.delete(invitations).where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt)))
    await recordAudit(tx, tenantId, actor, { action: 'invitation.withdraw', entityType: 'user', entityId: id, before: { email: before.email, roles: before.roles } })
    return
  }
  if (before.roles.includes('owner') && await ownerCount(tx) <= 1) throw new RuleError('A tenant must keep at least one owner', 'LAST_OWNER')
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, id)))
  await tx.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.userId, id), isNull(refreshTokens.revokedAt)))
  await recordAudit(tx, tenantId, actor, { action: 'membership.delete', entityType: 'user', entityId: id, before: { email: before.email, roles: before.roles } })
}
