/**
 * The AR and AP control accounts (SPEC 6.5 "Control accounts"). The flag `accounts.is_control` is
 * the setting: the settings answer the flagged receivable and payable account as
 * `arControlAccountId` / `apControlAccountId`, and changing the setting moves the flag. The
 * database allows at most one of each per tenant, keeps them active receivable/payable accounts,
 * and refuses a manual journal line on them (migration 0016); this module checks the same rules
 * first, with the answers a person can act on.
 */
import { and, eq, sql } from 'drizzle-orm'
import { accountBalances, accounts, journalLines } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { RuleError } from '../errors'
import { Dec } from '../money'

export type ControlKind = 'ar' | 'ap'

const KINDS = {
  ar: { type: 'asset', subtype: 'receivable', field: 'arControlAccountId', what: 'a receivable asset account' },
  ap: { type: 'liability', subtype: 'payable', field: 'apControlAccountId', what: 'a payable liability account' },
} as const

export interface ControlAccountIds { arControlAccountId: string | null, apControlAccountId: string | null }

/** The tenant's control accounts (null only if a tenant somehow has none; every chart gets both). */
export async function controlAccountIds(tx: Tx): Promise<ControlAccountIds> {
  const rows = await tx.select({ id: accounts.id, subtype: accounts.subtype }).from(accounts).where(eq(accounts.isControl, true))
  return {
    arControlAccountId: rows.find(r => r.subtype === 'receivable')?.id ?? null,
    apControlAccountId: rows.find(r => r.subtype === 'payable')?.id ?? null,
  }
}

async function postedBalance(tx: Tx, accountId: string): Promise<Dec> {
  const [row] = await tx.select({ net: sql<string | null>`sum(${accountBalances.debit} - ${accountBalances.credit})` }).from(accountBalances)
    .where(eq(accountBalances.accountId, accountId))
  return new Dec(row?.net ?? 0)
}

/**
 * Makes `accountId` the `kind` control account (the caller holds the tenant's settings lock, so two
 * changes run one after the other). Refused with 422:
 * - `CONTROL_ACCOUNT_INVALID` unless it is an active, childless account of the right type and subtype
 *   without a fixed currency;
 * - `CONTROL_ACCOUNT_HAS_POSTINGS` when it has any journal line, drafts included: a control account
 *   holds only its subledger's postings, or its balance could never tie to the subledger;
 * - `CONTROL_ACCOUNT_HAS_BALANCE` when the current control account has a posted balance: its
 *   documents would be left behind on an ordinary account.
 * The new account's row is taken FOR UPDATE before its lines are counted: a manual line being
 * written on it (which holds the row FOR KEY SHARE, app_ledger_guard_line) is waited for and seen.
 */
export async function changeControlAccount(tx: Tx, kind: ControlKind, accountId: string): Promise<boolean> {
  const k = KINDS[kind]
  const [current] = await tx.select({ id: accounts.id, code: accounts.code }).from(accounts)
    .where(and(eq(accounts.isControl, true), eq(accounts.subtype, k.subtype))).for('update')
  if (current?.id === accountId) return false
  const [next] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('update')
  const invalid = (reason: string) => new RuleError(`The ${kind.toUpperCase()} control account must be ${k.what} that is active and has no sub-accounts`, 'CONTROL_ACCOUNT_INVALID', { [k.field]: reason })
  if (!next) throw invalid('is not an account of this organisation')
  if (next.type !== k.type || next.subtype !== k.subtype) throw invalid(`must be ${k.what}`)
  if (!next.isActive) throw invalid('is inactive')
  // Documents in any currency post to it in base; a fixed currency would also let month-end revaluation move it.
  if (next.currency) throw invalid(`takes only ${next.currency}: a control account takes every currency`)
  const [child] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.parentId, accountId)).limit(1)
  if (child) throw invalid('is a parent account')
  const [line] = await tx.select({ id: journalLines.id }).from(journalLines).where(eq(journalLines.accountId, accountId)).limit(1)
  if (line) {
    throw new RuleError(`Account ${next.code} already has journal lines; a control account holds only its subledger's postings. Create a new account for it`, 'CONTROL_ACCOUNT_HAS_POSTINGS', { [k.field]: 'has journal lines' })
  }
  if (current) {
    if (!(await postedBalance(tx, current.id)).isZero()) {
      throw new RuleError(`The current ${kind.toUpperCase()} control account ${current.code} has a balance; it can be replaced only at zero`, 'CONTROL_ACCOUNT_HAS_BALANCE', { [k.field]: `the current control account ${current.code} has a balance` })
    }
    await tx.update(accounts).set({ isControl: false, version: sql`${accounts.version} + 1`, updatedAt: new Date() }).where(eq(accounts.id, current.id))
  }
  await tx.update(accounts).set({ isControl: true, version: sql`${accounts.version} + 1`, updatedAt: new Date() }).where(eq(accounts.id, accountId))
  return true
}
