/**
 * The arithmetic of posting, pure: line amounts in the entry's currency and in base, the decimals
 * and range checks, the balance check and the FX rounding line. No database or framework imports,
 * so every rule here is proved by unit tests (tests/unit/posting-maths.test.ts); entries.ts does
 * the reading and writing around it.
 *
 * Rate = base units per one unit of the entry currency. Each line's base amount is amount × rate
 * rounded half-up to the base currency's minor unit (never a JS number). The entry must balance
 * exactly in its own currency; what the rounding leaves over in base goes on a rounding line.
 */
import { RuleError, ValidationError, type FieldErrors } from '../errors'
import { decimalPlaces, Dec, format, MAX_MONEY, minorUnit, roundTo, sum, ZERO } from '../money'
import { decimalsMessage } from '../amount-rules'

/** An entry's currencies and rate, as checked against the tenant (entries.ts `amountsOf`). */
export interface EntryAmounts {
  /** The tenant's base currency. */
  base: string
  /** The entry's currency, and its minor unit. */
  currency: string
  places: number
  /** Base units per one unit of `currency` (1 for an entry in the base currency). */
  rate: Dec
}

/** A line's sides as typed: decimal strings, either may be left out. */
export interface AmountInput { debit?: string, credit?: string }

/** A line's amounts in the entry's currency and in base. */
export interface LineAmounts { debit: Dec, credit: Dec, baseDebit: Dec, baseCredit: Dec }

/** An amount in the entry's currency converted to base: × rate, rounded half-up to the base minor unit. */
export function toBase(amount: Dec, a: Pick<EntryAmounts, 'base' | 'rate'>): Dec {
  return roundTo(amount.times(a.rate), a.base)
}

/** 400 TOO_MANY_DECIMALS naming each side with more decimals than `currency` has, or null. */
export function decimalsError(lines: AmountInput[], currency: string): ValidationError | null {
  const places = minorUnit(currency)
  const fields: FieldErrors = {}
  lines.forEach((l, i) => {
    for (const side of ['debit', 'credit'] as const) {
      const v = l[side]
      if (v && decimalPlaces(v) > places) fields[`lines.${i}.${side}`] = decimalsMessage(places, currency)
    }
  })
  return Object.keys(fields).length ? new ValidationError(decimalsMessage(places, currency), fields, 'TOO_MANY_DECIMALS') : null
}

/** A line's amounts in the entry's currency and, at the rate, in base. */
export function lineAmounts(l: AmountInput, a: Pick<EntryAmounts, 'base' | 'rate'>): LineAmounts {
  const debit = new Dec(l.debit ?? 0)
  const credit = new Dec(l.credit ?? 0)
  return { debit, credit, baseDebit: toBase(debit, a), baseCredit: toBase(credit, a) }
}

/**
 * Why the lines cannot be posted as they are, or null: a base amount out of the ledger's range
 * (400 AMOUNT_OUT_OF_RANGE, by field), else debits and credits that differ in the entry's currency
 * (422 LEDGER_UNBALANCED). The base totals may differ: that is the rounding line's job.
 */
export function totalsError(lines: LineAmounts[], a: EntryAmounts): ValidationError | RuleError | null {
  // The money columns hold |x| < 10^16: an amount that fits in its own currency can overflow once
  // converted at a large rate, and is refused here with its field rather than by the database.
  const tooLarge: FieldErrors = {}
  lines.forEach((l, i) => {
    for (const [side, amount] of [['debit', l.baseDebit], ['credit', l.baseCredit]] as const) {
      if (amount.gte(MAX_MONEY)) tooLarge[`lines.${i}.${side}`] = `is ${format(amount, minorUnit(a.base))} ${a.base} at the rate ${a.rate.toString()}, more than the ledger holds (less than 10^16)`
    }
  })
  if (Object.keys(tooLarge).length) return new ValidationError('Amounts are too large in the base currency', tooLarge, 'AMOUNT_OUT_OF_RANGE')
  const debits = sum(lines.map(l => l.debit))
  const credits = sum(lines.map(l => l.credit))
  if (!debits.eq(credits)) {
    return new RuleError(`Debits ${format(debits, a.places)} and credits ${format(credits, a.places)} differ by ${format(debits.minus(credits).abs(), a.places)}`, 'LEDGER_UNBALANCED')
  }
  return null
}

/** Base debits minus base credits: what the per-line rounding left over (zero in the base currency). */
export function baseResidual(lines: LineAmounts[]): Dec {
  return sum(lines.map(l => l.baseDebit)).minus(sum(lines.map(l => l.baseCredit)))
}

/**
 * The rounding line that makes the base totals agree, or null when they already do: zero in the
 * entry's currency, the residual on the side that is short in base.
 */
export function roundingLine(lines: LineAmounts[]): LineAmounts | null {
  const residual = baseResidual(lines)
  if (residual.isZero()) return null
  return { debit: ZERO, credit: ZERO, baseDebit: residual.isNegative() ? residual.abs() : ZERO, baseCredit: residual.isPositive() ? residual : ZERO }
}
