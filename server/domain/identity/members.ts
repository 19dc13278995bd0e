/**
 * Memberships of one tenant, as the `/api/v1/users` resource. A person exists once on the platform;
 * a tenant admin manages only their membership and roles here. A password can be set only when the
 * e-mail is new to the platform; an existing user's name, e-mail and password are never touched.
 */
import { and, asc, count, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm'
import { memberships, refreshTokens, users } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, RuleError, ValidationError } from '../errors'
import type { MailCollector } from '../mail/outbox'
import { createInvitation } from './invitations'
import { hashPassword, passwordProblem } from './passwords'
import type { Role } from './rbac'

export interface Member {
  id: string
  email: string
  name: string
  roles: string[]
  version: number
  createdAt: Date
  updatedAt: Date
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  roles: memberships.roles,
  version: memberships.version,
  createdAt: memberships.createdAt,
  updatedAt: memberships.updatedAt,
}

export interface MemberListQuery {
  page: number
  pageSize: number
  q?: string
  sort?: { field: 'email' | 'name' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listMembers(tx: Tx, query: MemberListQuery): Promise<{ data: Member[], total: number }> {
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, m => `\\${m}`)}%` : undefined
  const filter = like ? or(ilike(users.email, like), ilike(users.name, like)) : undefined
  const sortCol = memberColumns[query.sort?.field ?? 'email']
  const [{ total }] = await tx.select({ total: count() }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(filter) as [{ total: number }]
  const data = await tx.select(memberColumns).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(filter)
    .orderBy(query.sort?.dir === 'desc' ? desc(sortCol) : asc(sortCol), asc(users.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data, total: Number(total) }
}

export async function getMember(tx: Tx, userId: string): Promise<Member> {
  const [row] = await tx.select(memberColumns).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, userId))
  if (!row) throw new NotFoundError('User')
  return row
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

export interface NewMember { email: string, name: string, password?: string, roles: Role[] }

/**
 * Adds a member. Without a password (a new account, or someone already on the platform) an
 * invitation is created and its mail queued in the same transaction; its id goes to `outbox`,
 * to be dispatched once the transaction has committed.
 */
export async function addMember(tx: Tx, tenantId: string, actor: Actor & { roles: readonly string[] }, input: NewMember, outbox: MailCollector): Promise<Member> {
  checkOwnershipChange(actor.roles, [], input.roles)
  if (input.password) {
    const problem = passwordProblem(input.password)
    if (problem) throw new ValidationError(`password ${problem}`, { password: problem }, 'WEAK_PASSWORD')
  }
  const hash = input.password ? await hashPassword(input.password) : null
  const [ensured] = await tx.execute<{ user_id: string, created: boolean }>(
    sql`select * from app_ensure_user(${input.email.toLowerCase()}, ${input.name}, ${hash})`)
  const { user_id: userId, created } = ensured!
  if (!created && input.password) {
    throw new RuleError('This e-mail already has an account on the platform; it is added without a password and its owner keeps theirs', 'EXISTING_USER_PASSWORD', { password: 'must be omitted for an existing account' })
  }
  try {
    await tx.insert(memberships).values({ tenantId, userId, roles: input.roles })
  }
  catch (err) {
    if (isUniqueViolation(err, 'memberships_pkey')) throw new ConflictError('This person is already a member', 'ALREADY_MEMBER', { email: 'is already a member' })
    throw err
  }
  const member = await getMember(tx, userId)
  await recordAudit(tx, tenantId, actor, { action: 'membership.create', entityType: 'user', entityId: userId, after: { email: member.email, roles: member.roles, newAccount: created } })
  if (!input.password) await createInvitation(tx, tenantId, actor, userId, outbox)
  return member
}

export async function updateMemberRoles(tx: Tx, tenantId: string, actor: Actor & { roles: readonly string[] }, userId: string, roles: Role[], version?: number): Promise<Member> {
  const before = await getMember(tx, userId)
  if (version !== undefined && version !== before.version) throw new ConflictError('This user was changed by someone else; reload and try again', 'STALE_VERSION')
  checkOwnershipChange(actor.roles, before.roles, roles)
  if (before.roles.includes('owner') && !roles.includes('owner') && await ownerCount(tx) <= 1) {
    throw new RuleError('A tenant must keep at least one owner', 'LAST_OWNER')
  }
  // The version is checked again in the write itself: of concurrent changes that read the same
  // version, the first one wins and the others see no matching row (409), never a lost update.
  const updated = await tx.update(memberships).set({ roles, version: sql`${memberships.version} + 1`, updatedAt: new Date() })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId), version === undefined ? undefined : eq(memberships.version, version)))
    .returning({ userId: memberships.userId })
  if (!updated.length) {
    if (version === undefined) throw new NotFoundError('User')
    throw new ConflictError('This user was changed by someone else; reload and try again', 'STALE_VERSION')
  }
  const after = await getMember(tx, userId)
  await recordAudit(tx, tenantId, actor, { action: 'membership.update', entityType: 'user', entityId: userId, before: { roles: before.roles }, after: { roles: after.roles } })
  return after
}

export async function removeMember(tx: Tx, tenantId: string, actor: Actor & { roles: readonly string[] }, userId: string): Promise<void> {
  const before = await getMember(tx, userId)
  checkOwnershipChange(actor.roles, before.roles, [])
  if (before.roles.includes('owner') && await ownerCount(tx) <= 1) throw new RuleError('A tenant must keep at least one owner', 'LAST_OWNER')
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
  await tx.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
  await recordAudit(tx, tenantId, actor, { action: 'membership.delete', entityType: 'user', entityId: userId, before: { email: before.email, roles: before.roles } })
}
