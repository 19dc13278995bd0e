/**
 * What a receipt (./receipts.ts) and a bill payment (server/domain/purchases/bill-payments.ts)
 * share: money moving through a cash or bank account against a control account. The currency and
 * rate of the document, the cash or bank account that takes it, and its two-line posting (checked
 * for the amount's range before anything is locked or numbered).
 */
import { eq, sql } from 'drizzle-orm'
import { accounts } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { RuleError, ValidationError } from '../errors'
import { rateOn } from '../ledger/entries'
import type { PostingLine } from '../ledger/posting'
import { lineAmounts, totalsError } from '../ledger/posting-maths'
import { decimalPlaces, Dec, isCurrency, minorUnit } from '../money'

export interface CashTerms {
  /** `receipt` | `payment`, for the messages. */
  noun: string
  /** The body's field naming the cash or bank account: `depositAccountId` | `paymentAccountId`. */
  accountField: string
  /** The refusal code of an account that cannot take it. */
  accountCode: string
}

/**
 * The document's currency (given, else the party's, else the base) and rate (given, else the rate
 * table's on or before the date; 1 for the base currency), and its amount checked for the
 * currency's decimal places.
 */
export async function cashCurrency(tx: Tx, terms: CashTerms, input: { currency?: string, exchangeRate?: string, date: string, amount: string }, partyCurrency: string | null, base: string) {
  const currency = input.currency ?? partyCurrency ?? base
  if (!isCurrency(currency)) throw new ValidationError('Unknown currency', { currency: 'is not a supported ISO 4217 currency' })
  let rate = new Dec(1)
  if (currency !== base) {
    const found = input.exchangeRate ? new Dec(input.exchangeRate) : await rateOn(tx, currency, input.date)
    if (!found) throw new RuleError(`No ${currency} rate on or before ${input.date}; give exchangeRate or add a rate`, 'LEDGER_NO_RATE', { exchangeRate: 'is required: no rate in the table' })
    rate = found
  }
  else if (input.exchangeRate && !new Dec(input.exchangeRate).eq(1)) {
    throw new ValidationError(`A ${terms.noun} in the base currency has rate 1`, { exchangeRate: 'must be 1 (or omitted) for the base currency' })
  }
  const places = minorUnit(currency)
  if (decimalPlaces(input.amount) > places) throw new ValidationError(`${currency} has ${places} decimal places`, { amount: `has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
  return { currency, rate, places }
}

/** The cash or bank account: an active, childless cash or bank asset account, not a control account, taking the currency. */
export async function cashAccount(tx: Tx, terms: CashTerms, id: string, currency: string) {
  const [account] = await tx.select({
    id: accounts.id, code: accounts.code, name: accounts.name, type: accounts.type, subtype: accounts.subtype, isActive: accounts.isActive, isControl: accounts.isControl, currency: accounts.currency,
    isParent: sql<boolean>`exists (select 1 from accounts c where c.tenant_id = accounts.tenant_id and c.parent_id = accounts.id)`,
  }).from(accounts).where(eq(accounts.id, id))
  const problem = !account
    ? 'is not an account of this organisation'
    : account.type !== 'asset' || (account.subtype !== 'cash' && account.subtype !== 'bank')
      ? 'must be a cash or bank account'
      : !account.isActive
          ? 'is inactive'
          : account.isParent
            ? 'is a parent account'
            : account.isControl
              ? 'is a control account'
              : account.currency && account.currency !== currency ? `takes only ${account.currency}` : null
  if (problem) throw new RuleError(`The ${terms.accountField === 'depositAccountId' ? 'deposit' : 'payment'} account cannot take the ${terms.noun}`, terms.accountCode, { [terms.accountField]: problem })
  return account!
}

/**
 * The two lines: money in (a receipt) debits the cash account and credits the control account;
 * money out (a payment) the reverse. 400 AMOUNT_OUT_OF_RANGE on `amount` when it cannot be posted.
 */
export async function cashPostingLines(tx: Tx, cash: { id: string, code: string, name: string }, controlAccountId: string, direction: 'in' | 'out', amount: string, a: { base: string, currency: string, places: number, rate: Dec }, description: string): Promise<PostingLine[]> {
  const [control] = await tx.select({ code: accounts.code, name: accounts.name }).from(accounts).where(eq(accounts.id, controlAccountId))
  const cashSide = direction === 'in' ? { debit: amount } : { credit: amount }
  const controlSide = direction === 'in' ? { credit: amount } : { debit: amount }
  const cashLine: PostingLine = { accountId: cash.id, accountCode: cash.code, accountName: cash.name, description, isRounding: false, ...lineAmounts(cashSide, a) }
  const controlLine: PostingLine = { accountId: controlAccountId, accountCode: control!.code, accountName: control!.name, description, isRounding: false, ...lineAmounts(controlSide, a) }
  const lines = direction === 'in' ? [cashLine, controlLine] : [controlLine, cashLine]
  const refused = totalsError(lines, a)
  if (refused) {
    if (refused instanceof ValidationError && refused.fields) throw new ValidationError(refused.message, { amount: Object.values(refused.fields)[0]! }, refused.code)
    throw refused
  }
  return lines
}
