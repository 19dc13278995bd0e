/**
 * Self-service sign-up by e-mailed link (SPEC §5 `signup`, §4 users and memberships).
 *
 * `requestSignup` only stores what was asked for (a `pending_signups` row) and writes the link mail
 * to the platform outbox in the same transaction. It never looks at the platform's accounts, so
 * its answer (202) and its timing are the same for a new and an existing e-mail, and nobody can
 * take over an account or learn that it exists by signing up with its address.
 *
 * Following the link (`describeSignup`, `completeSignup`) is where the account matters: a new
 * e-mail chooses its password there; an existing account proves itself with its own current
 * password (a wrong one is 422 WRONG_PASSWORD and creates nothing). Only then is the tenant created
 * with that person as its owner, in one transaction that also spends the token; the slug is
 * checked again (409 SLUG_TAKEN if someone took it meanwhile, and the link stays usable).
 *
 * Tokens are 32 random bytes shown only in the mail; the row keeps their SHA-256. A link is valid
 * for 24 hours and once; every way it can be wrong answers the same 404 SIGNUP_INVALID.
 *
 * Every function takes the route's platform transaction (the apex routes get the platform unit).
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { pendingSignups, users } from '../../../db/schema'
import type { PlatformTx, Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import { createHandoffToken, handoffLink } from '../identity/handoff'
import { newEmailToken } from '../identity/invitations'
import { hashPassword, passwordProblem, verifyPassword } from '../identity/passwords'
import { sha256 } from '../identity/tokens'
import { apexLink, tenantLink } from '../mail/links'
import type { MailCollector } from '../mail/outbox'
import { queuePlatformMail } from '../mail/platform-outbox'
import { renderSignupMail } from '../mail/templates'
import { checkSlug, checkSlugFree, insertTenant, type Tenant, type TenantFields } from './tenants'

export const SIGNUP_TTL_MS = 24 * 3600 * 1000

export interface SignupRequest extends TenantFields {
  owner: { email: string, name: string }
}

const invalid = () => new NotFoundError('Sign-up link', 'SIGNUP_INVALID')

/**
 * Stores a sign-up and writes its link mail to the platform outbox, in the route's platform unit of
 * work; the mail is dispatched once it has committed. A malformed, reserved or taken slug is
 * refused here already (slugs are public host names: that answer tells nothing about any person).
 */
export async function requestSignup(tx: Tx, outbox: MailCollector, input: SignupRequest): Promise<void> {
  checkSlug(input.slug)
  await checkSlugFree(tx, input.slug)
  const { token, hash } = newEmailToken()
  const expiresAt = new Date(Date.now() + SIGNUP_TTL_MS)
  const email = input.owner.email.toLowerCase()
  await tx.insert(pendingSignups).values({
    email,
    ownerName: input.owner.name,
    slug: input.slug,
    name: input.name,
    baseCurrency: input.baseCurrency,
    fiscalYearStartMonth: input.fiscalYearStartMonth,
    chartOfAccounts: input.chartOfAccounts,
    tokenHash: hash,
    expiresAt,
  })
  const mail = renderSignupMail({ organisationName: input.name, link: apexLink(`/signup/${token}`), expiresAt })
  outbox.add(null, await queuePlatformMail(tx, { kind: 'signup', to: [email], ...mail }))
}

type PendingSignup = typeof pendingSignups.$inferSelect

/** The open sign-up behind a token, locked until the transaction ends when asked. */
async function openSignup(tx: Tx, token: string, lock = false): Promise<PendingSignup> {
  const query = tx.select().from(pendingSignups)
    .where(and(eq(pendingSignups.tokenHash, sha256(token)), isNull(pendingSignups.completedAt), gt(pendingSignups.expiresAt, sql`now()`)))
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw invalid()
  return row
}

/** The platform account of an e-mail, if it has one with a password (the only kind that can sign in). */
async function accountOf(tx: Tx, email: string): Promise<{ id: string, passwordHash: string } | null> {
  const [row] = await tx.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, email))
  return row?.passwordHash ? { id: row.id, passwordHash: row.passwordHash } : null
}

export interface SignupInfo {
  email: string
  organisationName: string
  slug: string
  /** True: the e-mail has no Paksa account yet and chooses a password; false: it confirms its own. */
  newAccount: boolean
  expiresAt: Date
}

/** A sign-up link followed: the open sign-up and the platform account of its e-mail, if any. */
export interface FoundSignup { signup: PendingSignup, account: { id: string, passwordHash: string } | null }

/** The open sign-up behind a token (404 SIGNUP_INVALID otherwise) and its e-mail's account, in a platform read. */
export async function findSignup(tx: Tx, token: string): Promise<FoundSignup> {
  const signup = await openSignup(tx, token)
  return { signup, account: await accountOf(tx, signup.email) }
}

/**
 * What the link's page shows. Only the mailbox's owner holds the token, so telling them whether
 * their own address has an account reveals nothing to anyone else.
 */
export async function describeSignup(tx: Tx, token: string): Promise<SignupInfo> {
  const { signup, account } = await findSignup(tx, token)
  return {
    email: signup.email,
    organisationName: signup.name,
    slug: signup.slug,
    newAccount: !account,
    expiresAt: signup.expiresAt,
  }
}

/**
 * Before the completion's transaction (scrypt is slow): an existing account's password is checked
 * against its hash (422 WRONG_PASSWORD), a new account's first one against the policy and hashed.
 * Returns the new account's password hash, or null for an existing account.
 */
export async function prepareSignupOwner(found: FoundSignup, password: string): Promise<string | null> {
  if (found.account) {
    if (!await verifyPassword(password, found.account.passwordHash)) {
      throw new RuleError('This is not the password of the Paksa account with this e-mail', 'WRONG_PASSWORD', { password: 'is not this account\'s password' })
    }
    return null
  }
  const problem = passwordProblem(password)
  if (problem) throw new ValidationError(`password ${problem}`, { password: problem }, 'WEAK_PASSWORD')
  return hashPassword(password)
}

/**
 * Completes a sign-up (after `findSignup` and `prepareSignupOwner`) in the route's platform unit of
 * work: creates the tenant with that person as owner, spends the token and writes a handoff token
 * (identity/handoff.ts) that signs the owner in on the new host, in one transaction. The page
 * opens `handoffUrl`; `loginUrl` is the new host's sign-in page, for API clients.
 */
export async function completeSignup(p: PlatformTx, token: string, found: FoundSignup, newPasswordHash: string | null, actor: Actor): Promise<{ tenant: Tenant, loginUrl: string, handoffUrl: string }> {
  const { signup, account } = found
  // Locked and re-read: of two completions with one token, the second finds it spent (404).
  await openSignup(p.tx, token, true)
  await p.tx.update(pendingSignups).set({ completedAt: new Date() }).where(eq(pendingSignups.id, signup.id))
  let ownerId = account?.id
  const tenant = await insertTenant(p, signup, actor, {
    email: signup.email,
    ownerId: async (tx) => {
      if (account) return account.id
      const [row] = await tx.execute<{ user_id: string, claimed: boolean }>(
        sql`select * from app_claim_account(${signup.email}, ${signup.ownerName}, ${newPasswordHash})`)
      // Someone created this account between reading the link and now: never take it over.
      if (!row!.claimed) throw new ConflictError('This e-mail got a Paksa account meanwhile; open the link again and use its password', 'ACCOUNT_EXISTS', { password: 'use the existing account\'s password' })
      ownerId = row!.user_id
      return ownerId
    },
  })
  // The apex host cannot set the new host's cookies: a handoff token signs the owner in there.
  const handoff = await createHandoffToken(p.tx, tenant.id, ownerId!, 'signup')
  return { tenant, loginUrl: tenantLink(tenant.slug, '/login'), handoffUrl: handoffLink(tenant.slug, handoff.token) }
}
