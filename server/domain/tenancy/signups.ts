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
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { pendingSignups, users } from '../../../db/schema'
import { withPlatform, type Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import { newEmailToken } from '../identity/invitations'
import { hashPassword, passwordProblem, verifyPassword } from '../identity/passwords'
import { sha256 } from '../identity/tokens'
import { apexLink, tenantLink } from '../mail/links'
import { queuePlatformMail } from '../mail/platform-outbox'
import { renderSignupMail } from '../mail/templates'
import { checkSlug, checkSlugFree, insertTenant, type Tenant, type TenantFields } from './tenants'

export const SIGNUP_TTL_MS = 24 * 3600 * 1000

export interface SignupRequest extends TenantFields {
  owner: { email: string, name: string }
}

const invalid = () => new NotFoundError('Sign-up link', 'SIGNUP_INVALID')

/**
 * Stores a sign-up and writes its link mail to the platform outbox; returns the mail's id, to be
 * dispatched once this has committed. A malformed, reserved or taken slug is refused here already
 * (slugs are public host names: that answer tells nothing about any person).
 */
export async function requestSignup(input: SignupRequest): Promise<{ mailId: string }> {
  checkSlug(input.slug)
  await checkSlugFree(input.slug)
  const { token, hash } = newEmailToken()
  const expiresAt = new Date(Date.now() + SIGNUP_TTL_MS)
  const email = input.owner.email.toLowerCase()
  return withPlatform(async ({ tx }) => {
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
    return { mailId: await queuePlatformMail(tx, { kind: 'signup', to: [email], ...mail }) }
  })
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

/**
 * What the link's page shows. Only the mailbox's owner holds the token, so telling them whether
 * their own address has an account reveals nothing to anyone else.
 */
export async function describeSignup(token: string): Promise<SignupInfo> {
  return withPlatform(async ({ tx }) => {
    const signup = await openSignup(tx, token)
    return {
      email: signup.email,
      organisationName: signup.name,
      slug: signup.slug,
      newAccount: !(await accountOf(tx, signup.email)),
      expiresAt: signup.expiresAt,
    }
  })
}

/**
 * Completes a sign-up: checks the password (a new account's first one against the policy, an
 * existing account's against its hash), then creates the tenant with that person as owner and
 * spends the token, all in one transaction.
 */
export async function completeSignup(token: string, password: string, actor: Actor): Promise<{ tenant: Tenant, loginUrl: string }> {
  const found = await withPlatform(async ({ tx }) => {
    const signup = await openSignup(tx, token)
    return { signup, account: await accountOf(tx, signup.email) }
  })
  const { signup, account } = found
  let newPasswordHash: string | null = null
  if (account) {
    if (!await verifyPassword(password, account.passwordHash)) {
      throw new RuleError('This is not the password of the Paksa account with this e-mail', 'WRONG_PASSWORD', { password: 'is not this account\'s password' })
    }
  }
  else {
    const problem = passwordProblem(password)
    if (problem) throw new ValidationError(`password ${problem}`, { password: problem }, 'WEAK_PASSWORD')
    newPasswordHash = await hashPassword(password)
  }

  const tenant = await withPlatform(async (p) => {
    // Locked and re-read: of two completions with one token, the second finds it spent (404).
    await openSignup(p.tx, token, true)
    await p.tx.update(pendingSignups).set({ completedAt: new Date() }).where(eq(pendingSignups.id, signup.id))
    return insertTenant(p, signup, actor, {
      email: signup.email,
      ownerId: async (tx) => {
        if (account) return account.id
        const [row] = await tx.execute<{ user_id: string, claimed: boolean }>(
          sql`select * from app_claim_account(${signup.email}, ${signup.ownerName}, ${newPasswordHash})`)
        // Someone created this account between reading the link and now: never take it over.
        if (!row!.claimed) throw new ConflictError('This e-mail got a Paksa account meanwhile; open the link again and use its password', 'ACCOUNT_EXISTS', { password: 'use the existing account\'s password' })
        return row!.user_id
      },
    })
  })
  return { tenant, loginUrl: tenantLink(tenant.slug, '/login') }
}
