/**
 * Handing a signed-in person over to another of their organisations (SPEC §4: a user exists once
 * and has memberships in several tenants; each tenant is its own host with host-only cookies).
 *
 * The host the person is on cannot set another host's cookies, and asking for the password again
 * at every switch would be a poor trade. So it issues a **handoff token** for the target tenant: 32
 * random bytes, kept only as their SHA-256 in the target tenant's `handoff_tokens` (row-level
 * security bound to that tenant), for one person, valid `HANDOFF_TTL_SECONDS` and spent by its
 * first use. The browser goes to `<target host>/handoff#token=…` (a fragment: never sent to any
 * server, so it stays out of access logs, proxies and Referer headers), and that page exchanges
 * it with `POST /api/v1/auth/handoff`, which answers like a sign-in and sets that host's cookies.
 *
 * The exchange refuses with one answer, 401 HANDOFF_INVALID, a token that is unknown, expired,
 * already spent, issued for another tenant (its row is invisible under this host's tenant
 * binding), or whose person is no longer a member here; a suspended tenant's host answers 403
 * TENANT_SUSPENDED before any route runs. It is audited like a password sign-in (`auth.login`,
 * `after.method = 'handoff'`), and the issue as `auth.handoff_issued` in the target tenant.
 *
 * Who uses it: the organisation switcher (`issueHandoff`, from a signed-in session on another of the
 * person's tenants) and the end of a sign-up (`createHandoffToken` in the sign-up's own platform
 * transaction, server/domain/tenancy/signups.ts), where the apex host cannot sign anyone in on the
 * new tenant's host.
 *
 * MFA: not implemented yet (users have no second factor and access tokens carry no `amr`). When it
 * lands, the handoff must carry whether the issuing session was MFA-verified and the exchange must
 * refuse a person with MFA enabled unless it was: a handoff must never be a way around the second
 * factor.
 *
 * Why the switcher may read past the tenant: the person's memberships in other tenants are
 * invisible to the app role under this tenant's row-level security, so `listOrganisations` and the
 * membership check of `issueHandoff` run as `paksa_platform` (the route's `platformUnit`), which
 * may read `memberships` and `tenants`. They read only rows of the authenticated person's own
 * account (`user_id` = the principal's), and show them only to that person: the names and
 * addresses of organisations they already belong to. Nothing of any other person or tenant is
 * read, so this is not a back-office cross-tenant read and is not recorded in the platform audit.
 */
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import { handoffTokens, memberships, tenants, users } from '../../../db/schema'
import type { PlatformTx, Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { NotFoundError, UnauthenticatedError } from '../errors'
import { tenantLink } from '../mail/links'
import { newEmailToken } from './invitations'
import { startSession, type IssuedSession } from './sessions'
import { sha256 } from './tokens'

/** How long a handoff token lives: long enough for one navigation, short enough to be worthless in a log. */
export const HANDOFF_TTL_SECONDS = 60
/** Spent and expired tokens are kept this long (for inspection), then cleared when the tenant issues another. */
const KEEP_SPENT = sql`interval '1 day'`

export type HandoffPurpose = 'switch' | 'signup'

export const handoffInvalid = () => new UnauthenticatedError('This sign-in link has expired or was already used', 'HANDOFF_INVALID')

export interface Organisation {
  slug: string
  name: string
  /** The organisation's own address (its dashboard). */
  url: string
  roles: string[]
  /** The organisation of this host. */
  current: boolean
}

/**
 * The active organisations the person is an active member of, by name, in a platform read (see the
 * module comment for why that read is allowed). Suspended organisations are left out: their hosts
 * refuse every request.
 */
export async function listOrganisations(tx: Tx, userId: string, currentTenantId: string): Promise<Organisation[]> {
  const rows = await tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name, roles: memberships.roles })
    .from(memberships).innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), eq(tenants.status, 'active')))
    .orderBy(asc(tenants.name), asc(tenants.slug))
  return rows.map(r => ({ slug: r.slug, name: r.name, url: tenantLink(r.slug, '/'), roles: r.roles, current: r.id === currentTenantId }))
}

/** The address that signs the token's holder in on `slug`'s host: the token in the fragment. */
export function handoffLink(slug: string, token: string): string {
  return tenantLink(slug, `/handoff#token=${token}`)
}

/**
 * Writes a handoff token for `userId` into the current tenant (the transaction must be bound to
 * it, as the app role) and returns the token; clears the tenant's tokens spent or expired for a day.
 */
export async function createHandoffToken(tx: Tx, tenantId: string, userId: string, purpose: HandoffPurpose): Promise<{ token: string, expiresAt: Date }> {
  await tx.delete(handoffTokens).where(lt(handoffTokens.expiresAt, sql`now() - ${KEEP_SPENT}`))
  const { token, hash } = newEmailToken()
  const expiresAt = new Date(Date.now() + HANDOFF_TTL_SECONDS * 1000)
  await tx.insert(handoffTokens).values({ tenantId, userId, purpose, tokenHash: hash, expiresAt })
  return { token, expiresAt }
}

export interface IssuedHandoff { url: string, expiresAt: Date }

/**
 * The organisation switcher: a handoff to `slug` for the signed-in person, in the route's platform
 * unit of work. The person must be an active member of that organisation and it must be active
 * (404 ORGANISATION_NOT_FOUND otherwise: the same answer whether it does not exist, is suspended
 * or is not theirs). The membership is read as the platform role; the transaction then enters the
 * target tenant as the app role to write the token and its audit event there.
 */
export async function issueHandoff(p: PlatformTx, userId: string, slug: string, from: { slug: string }, actor: Omit<Actor, 'type' | 'id'>): Promise<IssuedHandoff> {
  const [target] = await p.tx.select({ id: tenants.id, slug: tenants.slug })
    .from(memberships).innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), eq(tenants.slug, slug), eq(tenants.status, 'active')))
  if (!target) throw new NotFoundError('Organisation', 'ORGANISATION_NOT_FOUND')
  await p.enterTenant(target.id, userId)
  const { token, expiresAt } = await createHandoffToken(p.tx, target.id, userId, 'switch')
  await recordAudit(p.tx, target.id, { ...actor, type: 'user', id: userId }, { action: 'auth.handoff_issued', entityType: 'user', entityId: userId, after: { from: from.slug } })
  return { url: handoffLink(target.slug, token), expiresAt }
}

/**
 * Exchanges a handoff token for a session on this tenant's host, in the route's unit of work: the
 * token is locked and spent, the session started and audited as a sign-in. Every way the token can
 * be wrong is the same 401 HANDOFF_INVALID, and changes nothing.
 */
export async function redeemHandoff(tx: Tx, tenantId: string, token: string, actor: Omit<Actor, 'type' | 'id'>): Promise<IssuedSession> {
  // Row-level security: another tenant's token is not visible here at all.
  const [row] = await tx.select().from(handoffTokens)
    .where(and(eq(handoffTokens.tokenHash, sha256(token)), isNull(handoffTokens.usedAt), gt(handoffTokens.expiresAt, sql`now()`)))
    .for('update')
  if (!row) throw handoffInvalid()
  // Still a member here (the membership may have been removed since the token was issued).
  const [member] = await tx.select({ id: users.id, email: users.email, name: users.name, roles: memberships.roles })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.userId, row.userId))
  if (!member) throw handoffInvalid()
  // Of two exchanges racing for one token, the second waits on the lock, then finds it spent.
  const spent = await tx.update(handoffTokens).set({ usedAt: new Date() })
    .where(and(eq(handoffTokens.id, row.id), isNull(handoffTokens.usedAt)))
    .returning({ id: handoffTokens.id })
  if (!spent.length) throw handoffInvalid()
  return startSession(tx, tenantId, { ...member, passwordHash: null }, actor, { method: 'handoff', purpose: row.purpose })
}
