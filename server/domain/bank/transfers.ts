/**
 * Transfers between two bank accounts (SPEC §5 `transfers`; issue 14 point 4): ONE posted entry,
 * source `bank_transfer`: credit the from account's GL account `amount`, debit the to account's
 * `toAmount`.
 *
 * - Same currency: `toAmount` is `amount` (a different one is 400); the entry is in that currency at
 *   its rate (the table's on or before the date; 1 for the base currency).
 * - Different currencies: both amounts are required.
 *   - One side in the base currency: the entry is in the foreign currency at its rate (the table's
 *     on or before the date): both lines carry the foreign amount in the entry's currency; the base
 *     side's line carries the base amount it moved, the foreign side's the foreign amount at the rate.
 *   - Two foreign currencies (USD → GBP): the entry is in the from side's currency at its rate; both
 *     lines carry `amount` in it (so the entry balances in its currency). The from line's base is
 *     `amount × rate`; the to line's is `toAmount × the to currency's rate` (the table's on or
 *     before the date, 422 LEDGER_NO_RATE without one), and it carries `toAmount` as its account
 *     amount (`journal_lines.account_amount`, migration 0035): the to account's own currency, which
 *     its foreign balance, matching, reconciliation and revaluation read instead of the entry's.
 *   What the two sides differ by in base currency is the exchange difference, on a line of its own
 *   on the FX gain/loss account (zero in the entry's currency, like a rounding line): a gain
 *   credited, a loss debited. Reversing the entry negates the account amount with the rest.
 *
 * Refused: the same account twice (400), an inactive account or an unusable GL account (422
 * BANK_TRANSFER_INVALID), a closed period (422 LEDGER_PERIOD_CLOSED), no rate for a foreign side
 * (422 LEDGER_NO_RATE), too many decimals (400), an amount the ledger cannot hold (400
 * AMOUNT_OUT_OF_RANGE), another tenant's ids (404). Audit `bank_transfer.create`.
 */
import { and, asc, count, desc, eq, gte, lte, or, sql } from 'drizzle-orm'
import { bankTransfers } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { NotFoundError, RuleError, ValidationError } from '../errors'
import { systemAccount } from '../ledger/accounts'
import { currencyAndRate, rateOn } from '../ledger/entries'
import { baseCurrencyOf, postEntry, type PostingLine } from '../ledger/posting'
import { Dec, decimalPlaces, format, minorUnit, roundTo } from '../money'
import { lockPeriods } from '../sales/allocations'
import { cashAccount, type CashTerms } from '../sales/cash-documents'
import { bankAccountRow } from './accounts'

export interface TransferInput { fromBankAccountId: string, toBankAccountId: string, date: string, amount: string, toAmount?: string, reference?: string | null }

type Row = typeof bankTransfers.$inferSelect
export type Transfer = Omit<Row, 'tenantId' | 'createdBy' | 'amount' | 'toAmount'> & { amount: string, toAmount: string, fromCurrency: string, toCurrency: string }

const ZERO = new Dec(0)

async function present(tx: Tx, row: Row): Promise<Transfer> {
  const [from, to] = await Promise.all([bankAccountRow(tx, row.fromBankAccountId), bankAccountRow(tx, row.toBankAccountId)])
  const { tenantId: _t, createdBy: _c, ...r } = row
  return {
    ...r, fromCurrency: from.currency, toCurrency: to.currency,
    amount: format(new Dec(row.amount), minorUnit(from.currency)), toAmount: format(new Dec(row.toAmount), minorUnit(to.currency)),
  }
}

export async function getTransfer(tx: Tx, id: string): Promise<Transfer> {
  const [row] = await tx.select().from(bankTransfers).where(eq(bankTransfers.id, id))
  if (!row) throw new NotFoundError('Transfer')
  return present(tx, row)
}

export interface TransferListQuery { page: number, pageSize: number, bankAccountId?: string, from?: string, to?: string, sort?: { field: 'date', dir: 'asc' | 'desc' } }

export async function listTransfers(tx: Tx, query: TransferListQuery) {
  const where = and(
    query.bankAccountId ? or(eq(bankTransfers.fromBankAccountId, query.bankAccountId), eq(bankTransfers.toBankAccountId, query.bankAccountId)) : undefined,
    query.from ? gte(bankTransfers.date, query.from) : undefined,
    query.to ? lte(bankTransfers.date, query.to) : undefined,
  )
  const [{ total }] = await tx.select({ total: count() }).from(bankTransfers).where(where) as [{ total: number }]
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const rows = await tx.select().from(bankTransfers).where(where).orderBy(dir(bankTransfers.date), dir(bankTransfers.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  const data: Transfer[] = []
  for (const r of rows) data.push(await present(tx, r))
  return { data, total: Number(total) }
}

const terms = (field: string): CashTerms => ({ noun: 'transfer', accountField: field, accountCode: 'BANK_TRANSFER_INVALID', accountLabel: 'bank' })

function checkPlaces(value: string, currency: string, field: string) {
  const places = minorUnit(currency)
  if (decimalPlaces(value) > places) throw new ValidationError(`${currency} has ${places} decimal places`, { [field]: `has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
}

export async function createTransfer(tx: Tx, tenantId: string, actor: Actor, input: TransferInput): Promise<Transfer> {
  if (input.fromBankAccountId === input.toBankAccountId) throw new ValidationError('A transfer goes between two different bank accounts', { toBankAccountId: 'must differ from fromBankAccountId' })
  const from = await bankAccountRow(tx, input.fromBankAccountId)
  const to = await bankAccountRow(tx, input.toBankAccountId)
  if (!from.isActive) throw new RuleError('The from bank account is inactive', 'BANK_TRANSFER_INVALID', { fromBankAccountId: 'is inactive' })
  if (!to.isActive) throw new RuleError('The to bank account is inactive', 'BANK_TRANSFER_INVALID', { toBankAccountId: 'is inactive' })
  const base = await baseCurrencyOf(tx, tenantId)
  const same = from.currency === to.currency
  let toAmount = input.toAmount
  if (same) {
    if (toAmount !== undefined && !new Dec(toAmount).eq(input.amount)) throw new ValidationError('Both accounts take the same currency: the amounts are equal', { toAmount: 'must equal amount (or be left out) between accounts of one currency' })
    toAmount = input.amount
  }
  else {
    if (toAmount === undefined) throw new ValidationError('Between currencies both amounts are required', { toAmount: `is required: the amount in ${to.currency}` })
  }
  checkPlaces(input.amount, from.currency, 'amount')
  checkPlaces(toAmount, to.currency, 'toAmount')
  // two foreign currencies: the entry is in the from side's, and the to side's line carries its own amount too
  const twoForeign = !same && from.currency !== base && to.currency !== base
  const foreign = same ? from.currency : from.currency === base ? to.currency : from.currency
  const { rate } = await currencyAndRate(tx, { currency: foreign, date: input.date }, base, base, 'a transfer')
  let toRate = rate
  if (twoForeign) {
    const found = await rateOn(tx, to.currency, input.date)
    if (!found) throw new RuleError(`No ${to.currency} rate on or before ${input.date}; add one to transfer into ${to.name}`, 'LEDGER_NO_RATE', { date: `has no ${to.currency} rate on or before it` })
    toRate = found
  }
  const [fromGl, toGl] = await Promise.all([cashAccount(tx, terms('fromBankAccountId'), from.accountId, from.currency), cashAccount(tx, terms('toBankAccountId'), to.accountId, to.currency)])
  // the entry's amount (in `foreign`) and each side's base amount
  const entryAmount = new Dec(from.currency === foreign ? input.amount : toAmount)
  const baseOf = (currency: string, amount: string, r: Dec) => currency === base ? new Dec(amount) : roundTo(new Dec(amount).times(r), base)
  const fromBase = baseOf(from.currency, input.amount, rate)
  const toBase = baseOf(to.currency, toAmount, toRate)
  const label = `Transfer: ${from.name} → ${to.name}${input.reference ? ` (${input.reference})` : ''}`.slice(0, 500)
  const line = (gl: { id: string, code: string, name: string }, side: 'debit' | 'credit', amount: Dec, baseAmount: Dec, isRounding = false): PostingLine => ({
    accountId: gl.id, accountCode: gl.code, accountName: gl.name, description: label, isRounding,
    debit: side === 'debit' && !isRounding ? amount : ZERO, credit: side === 'credit' && !isRounding ? amount : ZERO,
    baseDebit: side === 'debit' ? baseAmount : ZERO, baseCredit: side === 'credit' ? baseAmount : ZERO,
  })
  const toLine: PostingLine = { ...line(toGl, 'debit', entryAmount, toBase), ...(twoForeign ? { accountAmount: new Dec(toAmount), accountCurrency: to.currency } : {}) }
  const lines: PostingLine[] = [toLine, line(fromGl, 'credit', entryAmount, fromBase)]
  const fx = toBase.minus(fromBase)
  if (!fx.isZero()) {
    // the to side got more in base than the from side gave: a gain, credited; less: a loss, debited
    const fxAccount = await systemAccount(tx, 'fx_gain_loss')
    lines.push(line(fxAccount, fx.gt(0) ? 'credit' : 'debit', ZERO, fx.abs(), true))
  }
  for (const [field, v] of [['amount', fromBase], ['toAmount', toBase], ['amount', new Dec(input.amount)], ['toAmount', new Dec(toAmount)]] as const) {
    if (v.abs().gte(new Dec(10).pow(15))) throw new ValidationError('The amount is larger than the ledger holds', { [field]: 'is too large' }, 'AMOUNT_OUT_OF_RANGE')
  }
  const period = (await lockPeriods(tx, tenantId, [{ date: input.date, field: 'date' }])).get(input.date)!
  const [{ id }] = await tx.execute<{ id: string }>(sql`select app_uuid_v7() as id`) as unknown as [{ id: string }]
  const entry = await postEntry(tx, tenantId, {
    date: input.date, memo: label, reference: input.reference ?? null, currency: foreign, exchangeRate: rate,
    fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'manual', source: { type: 'bank_transfer', id }, lines, actor,
  })
  const [row] = await tx.insert(bankTransfers).values({
    tenantId, id, fromBankAccountId: from.id, toBankAccountId: to.id, date: input.date, amount: input.amount, toAmount,
    reference: input.reference ?? null, entryId: entry.id, createdBy: actor.id ?? null,
  }).returning() as [Row]
  const created = await present(tx, row)
  await recordAudit(tx, tenantId, actor, { action: 'bank_transfer.create', entityType: 'bank_transfer', entityId: id, after: { ...created, fxDifference: format(fx, minorUnit(base)) } })
  return created
}
