/**
 * The organisation's formatting choices (SPEC §5 `GET/PATCH /api/v1/settings`): fixed lists, so
 * every writer (page, PDF, XLSX, e-mail) knows exactly what each choice means.
 */
export const DATE_FORMATS = ['D MMM YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY'] as const
export type DateFormat = typeof DATE_FORMATS[number]

export const NUMBER_FORMATS = ['1,234.56', '1.234,56', '1 234,56', '1\'234.56'] as const
export type NumberFormat = typeof NUMBER_FORMATS[number]

export const NEGATIVE_STYLES = ['minus', 'parentheses'] as const
export type NegativeStyle = typeof NEGATIVE_STYLES[number]

/** What the formatting functions need of the settings. */
export interface FormatSettings {
  dateFormat: DateFormat
  numberFormat: NumberFormat
  negativeStyle: NegativeStyle
  /** IANA zone in which instants (a report's preparation, a link's expiry) are shown. */
  timeZone: string
}

export const DEFAULT_FORMAT_SETTINGS: Readonly<FormatSettings> = Object.freeze({
  dateFormat: 'D MMM YYYY',
  numberFormat: '1,234.56',
  negativeStyle: 'minus',
  timeZone: 'UTC',
})

/**
 * Month names and the like, where the organisation's setting does not decide. Fixed unless a
 * caller passes the reader's locale, so a server-rendered page and its hydrated copy agree.
 */
export const DEFAULT_LOCALE = 'en-GB'

/**
 * The zone's canonical IANA name, or null for anything that is not an IANA zone name (offsets
 * such as `+05:00` are refused: they ignore daylight saving).
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone) || zone.length > 64) return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
  }
  catch {
    return null
  }
}
