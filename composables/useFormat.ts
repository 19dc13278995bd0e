import {
  DEFAULT_FORMAT_SETTINGS, DEFAULT_LOCALE, formatDate as formatOrgDate, formatDateTime as formatOrgDateTime,
  formatMoney as formatOrgMoney, formatNumber as formatOrgNumber, parseDate as parseOrgDate,
  type FormatSettings, type MoneyOptions, type NumberOptions,
} from '#shared/format'

/*
 * Formatting shared by server and browser, through the one formatting layer (shared/format) with
 * the organisation's settings (GET /api/v1/settings), loaded once per app by
 * middleware/02.format.global.ts and carried from the server's render to the browser in the
 * payload, so the server's HTML and the hydrated page agree. Month names follow the reader's
 * locale, fixed on the server from Accept-Language and carried along the same way.
 */
const currencyNames = new Intl.DisplayNames([DEFAULT_LOCALE], { type: 'currency' })

/** The organisation's formatting settings and the reader's locale, as this app knows them. */
export interface FormatState extends FormatSettings {
  locale: string
  /** Whether the organisation's settings were loaded (the defaults stand in until then). */
  loaded: boolean
}

/** The reader's locale from Accept-Language (server) or the browser, if the runtime knows it. */
function readerLocale(): string {
  const wanted = import.meta.server
    ? (useRequestHeaders(['accept-language'])['accept-language'] ?? '').split(',')[0]?.split(';')[0]?.trim()
    : navigator.language
  try {
    return wanted && Intl.DateTimeFormat.supportedLocalesOf([wanted]).length ? wanted : DEFAULT_LOCALE
  }
  catch {
    return DEFAULT_LOCALE
  }
}

/** The shared state behind every formatting helper of this app (one per SSR request, one per tab). */
export function useFormatState() {
  return useState<FormatState>('org-format', () => ({ ...DEFAULT_FORMAT_SETTINGS, locale: readerLocale(), loaded: false }))
}

/**
 * The state, from anywhere: inside a component or the Nuxt context, or (in the browser) from an
 * event handler; the defaults where there is no app to ask (a unit test, a plain module).
 */
export function currentOrgFormat(): FormatState {
  const app = tryUseNuxtApp()
  return app ? app.runWithContext(() => useFormatState().value) as FormatState : { ...DEFAULT_FORMAT_SETTINGS, locale: DEFAULT_LOCALE, loaded: false }
}

/**
 * Puts the organisation's formatting settings into the state: once loaded, and again when the
 * settings page saves them, so every page shows the new formats without a reload.
 */
export function applyOrgFormat(settings: FormatSettings): void {
  const state = useFormatState()
  state.value = { ...state.value, dateFormat: settings.dateFormat, numberFormat: settings.numberFormat, negativeStyle: settings.negativeStyle, timeZone: settings.timeZone, loaded: true }
}

/** Loads the organisation's settings into the state once; a failure leaves the defaults in place. */
export async function loadOrgFormat(): Promise<void> {
  const state = useFormatState()
  if (state.value.loaded) return
  const api = useApi({ redirectOnUnauthorized: false })
  try {
    applyOrgFormat(await api<FormatSettings>('/api/v1/settings'))
  }
  catch {
    // Formatting never blocks a page: the defaults stay until the next navigation tries again.
  }
}

/**
 * The formatting functions bound to the organisation's settings: `formatMoney('-1234.5', { places: 2 })`
 * → `(1.234,50)` for an organisation writing 1.234,56 with parentheses. Dates typed in a field are
 * read with `parseDate` in the same format.
 */
export function useFormat() {
  const state = useFormatState()
  return {
    settings: readonly(state),
    formatMoney: (amount: string, options: MoneyOptions = {}) => formatOrgMoney(amount, { ...state.value, ...options }),
    formatNumber: (value: string | number, options: NumberOptions = {}) => formatOrgNumber(value, { numberFormat: state.value.numberFormat, ...options }),
    formatDate: (value: string | Date) => formatOrgDate(value, state.value.dateFormat, state.value),
    formatDateTime: (value: string | Date) => formatOrgDateTime(value, state.value.dateFormat, state.value),
    parseDate: (text: string) => parseOrgDate(text, state.value.dateFormat, state.value),
  }
}

/** `2025-11-28T10:00:00Z` or `2025-11-28` → `28 Nov 2025`, in the organisation's date format and zone. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—'
  const format = currentOrgFormat()
  return formatOrgDate(value, format.dateFormat, format) || '—'
}

/** 1 → `January`, in the reader's language. */
export function monthName(month: number): string {
  return new Intl.DateTimeFormat(currentOrgFormat().locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)))
}

/** A count grouped as the organisation writes numbers: 12345 → `12,345`. */
export function formatInteger(value: number): string {
  return formatOrgNumber(value, { numberFormat: currentOrgFormat().numberFormat, places: 0 })
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
