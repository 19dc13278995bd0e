/**
 * Numbers and money as people read them, from decimal strings (never JS numbers for money):
 * digit grouping and decimal mark from the organisation's number format, negatives with a minus
 * or in parentheses, zero optionally blank as accountants print debit/credit columns.
 */
import Decimal from 'decimal.js'
import { DEFAULT_FORMAT_SETTINGS, type NegativeStyle, type NumberFormat } from './settings'

/** A private constructor, so no global decimal.js setting leaks in or out. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP })

/**
 * Group separator and decimal mark per format. The space is a no-break space (U+00A0): the
 * figure never wraps, and the standard PDF fonts can draw it.
 */
const SEPARATORS: Record<NumberFormat, { group: string, decimal: string }> = {
  '1,234.56': { group: ',', decimal: '.' },
  '1.234,56': { group: '.', decimal: ',' },
  '1 234,56': { group: '\u00A0', decimal: ',' },
  '1\'234.56': { group: '\'', decimal: '.' },
}

export interface NumberOptions {
  numberFormat?: NumberFormat
  /** Decimal places, rounded half-up; the value's own places when left out. */
  places?: number
}

export interface MoneyOptions extends NumberOptions {
  /** ISO 4217 code written before the figure (`USD 1,234.56`); none when left out. */
  currency?: string
  negativeStyle?: NegativeStyle
  /** Zero (after rounding) is an empty string. */
  blankZero?: boolean
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)$/

/** Whether a string is a plain decimal (`-1234.5`, `0.10`), the form money travels in. */
export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value.trim())
}

/** Orders two decimal strings by value, exactly (`'1.10' < '1.9'`, which a digit-wise sort gets wrong). */
export function compareDecimalStrings(a: string, b: string): number {
  return new D(a.trim()).comparedTo(new D(b.trim()))
}

function ownPlaces(value: string): number {
  const dot = value.indexOf('.')
  return dot < 0 ? 0 : value.trim().length - dot - 1
}

/** The absolute value grouped and marked; the sign is the caller's. */
function digits(value: Decimal, places: number, numberFormat: NumberFormat): string {
  const { group, decimal } = SEPARATORS[numberFormat]
  const [whole = '0', fraction] = value.abs().toFixed(places).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)
  return fraction ? `${grouped}${decimal}${fraction}` : grouped
}

function parse(value: string | number): { dec: Decimal, places: number } | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim()
  if (!DECIMAL.test(text)) return null
  return { dec: new D(text), places: ownPlaces(text) }
}

/**
 * A plain number in the organisation's format (`1234567.5` → `1.234.567,5`), negatives with a
 * minus. Counts may be JS numbers; anything that is not a decimal comes back unchanged.
 */
export function formatNumber(value: string | number, options: NumberOptions = {}): string {
  const parsed = parse(value)
  if (!parsed) return String(value)
  const places = options.places ?? parsed.places
  const rounded = parsed.dec.toDecimalPlaces(places, Decimal.ROUND_HALF_UP)
  const text = digits(rounded, places, options.numberFormat ?? DEFAULT_FORMAT_SETTINGS.numberFormat)
  return rounded.isNegative() && !rounded.isZero() ? `-${text}` : text
}

/**
 * An amount as people read it: `"-10000.5"` with places 2 → `-10,000.50`, or `(10,000.50)` with
 * negativeStyle `parentheses`; `USD -10,000.50` with a currency. Half-up rounding to `places`. The
 * empty string stays empty; anything else that is not a decimal comes back unchanged.
 */
export function formatMoney(amount: string, options: MoneyOptions = {}): string {
  const parsed = parse(amount)
  if (!parsed) return amount
  const places = options.places ?? parsed.places
  const rounded = parsed.dec.toDecimalPlaces(places, Decimal.ROUND_HALF_UP)
  if (options.blankZero && rounded.isZero()) return ''
  const text = digits(rounded, places, options.numberFormat ?? DEFAULT_FORMAT_SETTINGS.numberFormat)
  const negative = rounded.isNegative() && !rounded.isZero()
  const signed = !negative ? text : (options.negativeStyle ?? DEFAULT_FORMAT_SETTINGS.negativeStyle) === 'parentheses' ? `(${text})` : `-${text}`
  return options.currency ? `${options.currency} ${signed}` : signed
}

/**
 * The spreadsheet number format that mirrors a negative style at `places` decimals. Grouping and
 * decimal marks in a number format are the reader's spreadsheet locale's, not the file's, so only
 * the places and the negative style can follow the setting; the cell stays a number.
 */
export function spreadsheetNumberFormat(negativeStyle: NegativeStyle, places = 2): string {
  const positive = places > 0 ? `#,##0.${'0'.repeat(places)}` : '#,##0'
  return negativeStyle === 'parentheses' ? `${positive};(${positive})` : `${positive};-${positive}`
}
