import { formatMoney as formatOrgMoney } from '#shared/format'
import { Dec, isCurrency, minorUnit } from '~~/server/domain/money'

/*
 * Money in the browser: decimal strings in, decimal strings out, arithmetic on decimal.js (the
 * server's `Dec`), never JS numbers.
 */

/** Decimal places of a currency; 2 for codes the product does not know. */
export function currencyPlaces(currency: string | null | undefined): number {
  return currency && isCurrency(currency) ? minorUnit(currency) : 2
}

/**
 * What a person typed ("10,000", " 12.5 ") as a plain decimal string ("10000", "12.5"); `''` for
 * an empty field and `null` for anything that is not a non-negative decimal.
 */
export function parseAmount(input: string | null | undefined): string | null {
  const text = (input ?? '').replace(/[\s,]/g, '')
  if (text === '') return ''
  if (!/^\d*\.?\d*$/.test(text) || text === '.') return null
  const normalised = text.startsWith('.') ? `0${text}` : text
  return normalised.endsWith('.') ? normalised.slice(0, -1) : normalised
}

/** A decimal (string or Dec) as the total of fields: `''`/invalid count as zero. */
export function toDec(value: string | null | undefined): Dec {
  const parsed = parseAmount(value)
  return parsed ? new Dec(parsed) : new Dec(0)
}

export function sumAmounts(values: (string | null | undefined)[]): Dec {
  return values.reduce((acc, v) => acc.plus(toDec(v)), new Dec(0))
}

/**
 * `"-10000.5"` → `-10,000.50` (or as the organisation writes figures: `(10.000,50)`), rounded
 * half-up to `places`; through the one formatting layer (shared/format).
 */
export function formatMoney(value: string | Dec | null | undefined, places = 2): string {
  if (value === null || value === undefined || value === '') return '—'
  const { numberFormat, negativeStyle } = currentOrgFormat()
  return formatOrgMoney(typeof value === 'string' ? value : value.toFixed(), { numberFormat, negativeStyle, places })
}

/** Whether a decimal string is zero (or empty). */
export function isZeroAmount(value: string | null | undefined): boolean {
  return toDec(value).isZero()
}

/**
 * A percentage with one decimal, negatives as the organisation writes them: `"-12.5"` →
 * `-12.5%` or `(12.5%)`; blank for null (a variance against zero has no percentage).
 */
export function formatPercent(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const text = formatMoney(value, 1)
  return text.endsWith(')') ? `${text.slice(0, -1)}%)` : `${text}%`
}
