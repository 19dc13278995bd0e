/**
 * Dates as the organisation writes them. Accounting dates are calendar dates (`YYYY-MM-DD`) and
 * are never shifted by a time zone; instants (a timestamp) are shown as the calendar date and
 * time in the organisation's zone. Only month names come from a locale.
 */
import { DEFAULT_FORMAT_SETTINGS, DEFAULT_LOCALE, type DateFormat } from './settings'

export interface CalendarDate { year: number, month: number, day: number }

export interface DateOptions {
  /** Zone in which an instant is read; ignored for a plain `YYYY-MM-DD`. Default UTC. */
  timeZone?: string
  /** Locale of month names (`D MMM YYYY`); default en-GB. */
  locale?: string
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function exists({ year, month, day }: CalendarDate): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** `YYYY-MM-DD` of a calendar date. */
export function toIsoDate({ year, month, day }: CalendarDate): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

const partsFormats = new Map<string, Intl.DateTimeFormat>()
function zoneParts(instant: Date, timeZone: string): Record<string, number> {
  let format = partsFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' })
    partsFormats.set(timeZone, format)
  }
  const parts: Record<string, number> = {}
  for (const p of format.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return parts
}

/**
 * The calendar date a value names: a `YYYY-MM-DD` as it is, an instant (Date or ISO timestamp)
 * in `timeZone`; null for anything else.
 */
export function calendarDate(value: string | Date, timeZone = DEFAULT_FORMAT_SETTINGS.timeZone): CalendarDate | null {
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value)
    if (m) {
      const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
      return exists(date) ? date : null
    }
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  }
  const instant = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(instant.getTime())) return null
  const p = zoneParts(instant, timeZone)
  return { year: p.year!, month: p.month!, day: p.day! }
}

const monthFormats = new Map<string, Intl.DateTimeFormat>()
/** Short month names (`Nov`) in a locale, January first. */
function shortMonths(locale: string): string[] {
  let format = monthFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' })
    monthFormats.set(locale, format)
  }
  return Array.from({ length: 12 }, (_, i) => format.format(new Date(Date.UTC(2000, i, 1))))
}

function writeDate(d: CalendarDate, dateFormat: DateFormat, locale: string): string {
  const [dd, mm, yyyy] = [pad(d.day), pad(d.month), pad(d.year, 4)]
  switch (dateFormat) {
    case 'D MMM YYYY': return `${d.day} ${shortMonths(locale)[d.month - 1]} ${yyyy}`
    case 'DD/MM/YYYY': return `${dd}/${mm}/${yyyy}`
    case 'MM/DD/YYYY': return `${mm}/${dd}/${yyyy}`
    case 'YYYY-MM-DD': return `${yyyy}-${mm}-${dd}`
    case 'DD.MM.YYYY': return `${dd}.${mm}.${yyyy}`
  }
}

/**
 * `2025-11-28` (or an instant) in the organisation's format: `28 Nov 2025`, `28/11/2025`, … An
 * instant is dated in `timeZone`. Anything that is not a date comes back as the empty string.
 */
export function formatDate(value: string | Date, dateFormat: DateFormat = DEFAULT_FORMAT_SETTINGS.dateFormat, options: DateOptions = {}): string {
  const date = calendarDate(value, options.timeZone)
  return date ? writeDate(date, dateFormat, options.locale ?? DEFAULT_LOCALE) : ''
}

/** An instant as the date in the organisation's format and the 24-hour time in `timeZone`: `5 Dec 2026 11:30`. */
export function formatDateTime(value: string | Date, dateFormat: DateFormat = DEFAULT_FORMAT_SETTINGS.dateFormat, options: DateOptions = {}): string {
  const instant = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(instant.getTime())) return ''
  const p = zoneParts(instant, options.timeZone ?? DEFAULT_FORMAT_SETTINGS.timeZone)
  return `${writeDate({ year: p.year!, month: p.month!, day: p.day! }, dateFormat, options.locale ?? DEFAULT_LOCALE)} ${pad(p.hour!)}:${pad(p.minute!)}`
}

/** Day, month and year positions of each numeric format. */
const ORDER: Record<Exclude<DateFormat, 'D MMM YYYY'>, 'dmy' | 'mdy' | 'ymd'> = {
  'DD/MM/YYYY': 'dmy', 'MM/DD/YYYY': 'mdy', 'YYYY-MM-DD': 'ymd', 'DD.MM.YYYY': 'dmy',
}

function monthFromName(name: string, locale: string): number | null {
  const wanted = name.toLowerCase().replace(/\.$/, '')
  for (const names of [shortMonths(locale), shortMonths('en-GB'), shortMonths('en-US')]) {
    const i = names.findIndex(n => n.toLowerCase().replace(/\.$/, '') === wanted)
    if (i >= 0) return i + 1
  }
  // Full names and other abbreviations ("sept", "september") by their first three letters in English.
  const english = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
  const i = english.indexOf(wanted.slice(0, 3))
  return i >= 0 && wanted.length >= 3 ? i + 1 : null
}

/**
 * What a person typed in the organisation's date format, as `YYYY-MM-DD`; null when it is not a
 * date that exists. Any of `/ . - space` separates the parts, day and month may drop their leading
 * zero, and an ISO date (`2025-11-28`) is always understood. A two-digit year means 20YY.
 */
export function parseDate(text: string, dateFormat: DateFormat = DEFAULT_FORMAT_SETTINGS.dateFormat, options: Pick<DateOptions, 'locale'> = {}): string | null {
  const input = text.trim()
  if (!input) return null
  const iso = ISO_DATE.exec(input)
  let date: CalendarDate | null = iso ? { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) } : null
  if (!date && dateFormat === 'D MMM YYYY') {
    const m = /^(\d{1,2})[\s./-]+([^\d\s./-]+)\.?[\s./-]+(\d{2}|\d{4})$/u.exec(input)
    const month = m ? monthFromName(m[2]!, options.locale ?? DEFAULT_LOCALE) : null
    if (m && month) date = { day: Number(m[1]), month, year: Number(m[3]) }
  }
  else if (!date && dateFormat !== 'D MMM YYYY') {
    const m = /^(\d{1,4})[\s./-](\d{1,2})[\s./-](\d{1,4})$/.exec(input)
    if (m) {
      const [a, b, c] = [m[1]!, m[2]!, m[3]!]
      const order = ORDER[dateFormat]
      const [y, mo, d] = order === 'ymd' ? [a, b, c] : order === 'dmy' ? [c, b, a] : [c, a, b]
      if (y.length === 4 || y.length === 2) date = { year: Number(y), month: Number(mo), day: Number(d) }
      if (date && (d.length > 2 || mo.length > 2)) date = null
    }
  }
  if (!date) return null
  if (date.year < 100) date.year += 2000
  return exists(date) ? toIsoDate(date) : null
}
