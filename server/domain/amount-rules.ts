/**
 * The limits of an amount on the wire, and their wording, shared by the API's contract
 * (server/contracts/ledger.ts `Amount`) and the pages' amount fields, so the browser refuses what
 * the server would, in the same words. Messages follow the field's name ("Debit …") on the
 * server and stand alone in the pages, so they read either way. No framework imports: pages
 * import this (as they do money.ts); it lives under server/ because the contracts, which pages
 * bundle too, import it, and the pages' build keeps shared/ external to the server bundle.
 */

/** Digits before the decimal point: the money columns hold |x| < 10^16. */
export const AMOUNT_INTEGER_DIGITS = 15
/** Decimals on the wire; an entry also takes no more than its currency has (TOO_MANY_DECIMALS). */
export const AMOUNT_DECIMALS = 4

export const AMOUNT_PATTERN = new RegExp(`^\\d{1,${AMOUNT_INTEGER_DIGITS}}(\\.\\d{1,${AMOUNT_DECIMALS}})?$`)

/**
 * Decimals an amount may have in its currency, naming it: "EUR amounts can have at most 2 decimal
 * places", "JPY amounts can have no decimal places"; without a currency (the wire's own limit)
 * "Amounts can …". The API's TOO_MANY_DECIMALS field messages and the entry editor both say this.
 */
export function decimalsMessage(places: number, currency?: string): string {
  const amounts = currency ? `${currency} amounts` : 'Amounts'
  if (places === 0) return `${amounts} can have no decimal places`
  return `${amounts} can have at most ${places} decimal place${places === 1 ? '' : 's'}`
}

export const AMOUNT_MESSAGES = {
  notAnAmount: 'Amounts must be numbers of zero or more, such as 1234.50',
  tooManyDigits: `Amounts can have at most ${AMOUNT_INTEGER_DIGITS} digits before the decimal point`,
  tooManyDecimals: decimalsMessage(AMOUNT_DECIMALS),
} as const

/** Why a plain decimal string (`"1234.50"`) is no amount the API takes, or undefined when it is one. */
export function amountProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) return AMOUNT_MESSAGES.notAnAmount
  const [whole = '', decimals = ''] = value.split('.')
  if (whole.length > AMOUNT_INTEGER_DIGITS) return AMOUNT_MESSAGES.tooManyDigits
  if (decimals.length > AMOUNT_DECIMALS) return AMOUNT_MESSAGES.tooManyDecimals
  return undefined
}
