/**
 * Money arithmetic on decimal.js, never JS numbers. Amounts travel as decimal strings; rounding is
 * always explicit (half-up to a currency's minor unit, ISO 4217).
 */
import Decimal from 'decimal.js'

/** A private Decimal constructor: 40 significant digits, half-up, so no global setting leaks in or out. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP })
export type Dec = InstanceType<typeof Dec>

/** ISO 4217 minor units of the currencies the product accepts (2 for all not listed with another). */
const MINOR_UNITS: Record<string, number> = {
  AED: 2, AUD: 2, BDT: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, CZK: 2, DKK: 2, EGP: 2,
  EUR: 2, GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, IQD: 3, ISK: 0, JOD: 3, JPY: 0, KES: 2,
  KRW: 0, KWD: 3, LKR: 2, LYD: 3, MAD: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2, NZD: 2, OMR: 3, PHP: 2,
  PKR: 2, PLN: 2, QAR: 2, RON: 2, RUB: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TND: 3, TRY: 2, TWD: 2,
  UAH: 2, UGX: 0, USD: 2, VND: 0, XAF: 0, XOF: 0, ZAR: 2,
}

export const CURRENCIES = Object.keys(MINOR_UNITS)

export function isCurrency(code: string): boolean {
  return code in MINOR_UNITS
}

export function minorUnit(currency: string): number {
  const unit = MINOR_UNITS[currency]
  if (unit === undefined) throw new Error(`unknown currency ${currency}`)
  return unit
}

/** Decimal places of a plain decimal string ("12.50" → 2). */
export function decimalPlaces(value: string): number {
  const dot = value.indexOf('.')
  return dot < 0 ? 0 : value.length - dot - 1
}

/** Rounds half-up to the currency's minor unit. */
export function roundTo(value: Dec, currency: string): Dec {
  return value.toDecimalPlaces(minorUnit(currency), Dec.ROUND_HALF_UP)
}

/** The canonical wire form: fixed to the currency's minor unit (or `places`). */
export function format(value: Dec, places: number): string {
  return value.toFixed(places)
}

export const ZERO = new Dec(0)

/** The money columns are numeric(20, 4): every stored amount is below this in absolute value. */
export const MAX_MONEY = new Dec(10).pow(16)

export function sum(values: Iterable<Dec>): Dec {
  let total = ZERO
  for (const v of values) total = total.plus(v)
  return total
}
