/*
 * Formatting shared by server and browser. The locale and time zone are fixed so the server's
 * HTML and the hydrated page agree; dates read "28 Nov 2025", which no reader can misread.
 */
const LOCALE = 'en-GB'

const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: 'long', timeZone: 'UTC' })
const currencyNames = new Intl.DisplayNames([LOCALE], { type: 'currency' })
const integerFormat = new Intl.NumberFormat(LOCALE)

/** `2025-11-28T10:00:00Z` or `2025-11-28` → `28 Nov 2025`. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—'
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date)
}

/** 1 → `January`. */
export function monthName(month: number): string {
  return monthFormat.format(new Date(Date.UTC(2000, month - 1, 1)))
}

export function formatInteger(value: number): string {
  return integerFormat.format(value)
}

/** `EUR` → `Euro`; unknown codes come back unchanged. */
export function currencyName(code: string): string {
  try {
    return currencyNames.of(code) ?? code
  }
  catch {
    return code
  }
}

/** The fiscal year containing `today`, for a year starting on the first of `startMonth`. */
export function currentFiscalYear(startMonth: number, today = new Date()): { start: Date, end: Date } {
  const year = today.getUTCMonth() + 1 >= startMonth ? today.getUTCFullYear() : today.getUTCFullYear() - 1
  const start = new Date(Date.UTC(year, startMonth - 1, 1))
  const end = new Date(Date.UTC(year + 1, startMonth - 1, 0))
  return { start, end }
}

/** Items for a month `v-select`. */
export function useMonthOptions() {
  return Array.from({ length: 12 }, (_, i) => ({ value: i + 1, title: monthName(i + 1) }))
}

const COMMON_CURRENCIES = ['USD', 'EUR', 'GBP', 'PKR', 'AED', 'SAR', 'INR', 'CAD', 'AUD', 'CHF', 'JPY', 'CNY', 'SGD', 'ZAR']

/** Items for a currency picker: the common ones first, then every ISO 4217 code the runtime knows. */
export function useCurrencyOptions() {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : COMMON_CURRENCIES
  const codes = [...COMMON_CURRENCIES, ...all.filter(code => !COMMON_CURRENCIES.includes(code))]
  return codes.map(code => ({ value: code, title: `${code} — ${currencyName(code)}` }))
}
