/**
 * The frequency picker of scheduled reports and the cron expression the API keeps, both ways:
 * {@link toCron} writes what the picker shows, {@link fromCron} reads an expression back, and
 * {@link describeSchedule} says it in words ("Monthly on the 1st at 07:00 (Europe/London)").
 * An expression the picker cannot show (seconds, ranges, steps, several days…) reads back as
 * `custom` and keeps its cron text, so nothing set through the API is lost by opening the form.
 * Pure: no framework imports; pages and tests import it.
 */

export type FrequencyKind = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'custom'

/**
 * What the picker shows. `weekday`: 0 = Sunday … 6 = Saturday, as cron counts; `day` of the month,
 * 1–28 so that every month has it (quarterly: of January, April, July and October).
 */
export type Frequency
  = { kind: 'daily', time: string }
    | { kind: 'weekly', weekday: number, time: string }
    | { kind: 'monthly', day: number, time: string }
    | { kind: 'quarterly', day: number, time: string }
    | { kind: 'custom', cron: string }

export const FREQUENCY_KINDS: { value: FrequencyKind, title: string }[] = [
  { value: 'daily', title: 'Daily' },
  { value: 'weekly', title: 'Weekly' },
  { value: 'monthly', title: 'Monthly' },
  { value: 'quarterly', title: 'Quarterly' },
  { value: 'custom', title: 'Custom (cron)' },
]

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

/** The last day of the month the picker offers: the 28th is in every month. */
export const LAST_PICKED_DAY = 28

const QUARTER_MONTHS = '1,4,7,10'

/** `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`, `22nd`, `23rd`. */
export function ordinal(n: number): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  switch (n % 10) {
    case 1: return `${n}st`
    case 2: return `${n}nd`
    case 3: return `${n}rd`
    default: return `${n}th`
  }
}

/** `HH:MM` (24-hour) → minute and hour, or null when it is no time of day. */
export function parseTime(time: string): { minute: number, hour: number } | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim())
  if (!match) return null
  const hour = Number(match[1])
  const minute = Number(match[2])
  return hour <= 23 && minute <= 59 ? { minute, hour } : null
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The cron expression (5 fields) of a frequency; a custom one's own text, trimmed. */
export function toCron(frequency: Frequency): string {
  if (frequency.kind === 'custom') return frequency.cron.trim()
  const time = parseTime(frequency.time)
  if (!time) throw new RangeError(`Not a time of day: ${frequency.time}`)
  const at = `${time.minute} ${time.hour}`
  switch (frequency.kind) {
    case 'daily': return `${at} * * *`
    case 'weekly': return `${at} * * ${frequency.weekday}`
    case 'monthly': return `${at} ${frequency.day} * *`
    case 'quarterly': return `${at} ${frequency.day} ${QUARTER_MONTHS} *`
  }
}

/** A plain integer within bounds (no steps, ranges or lists), or null. */
function integer(field: string, min: number, max: number): number | null {
  if (!/^\d{1,2}$/.test(field)) return null
  const n = Number(field)
  return n >= min && n <= max ? n : null
}

/** What the picker shows for a cron expression: one of its frequencies, or `custom`. */
export function fromCron(expr: string): Frequency {
  const cron = expr.trim()
  const custom: Frequency = { kind: 'custom', cron }
  const fields = cron.split(/\s+/)
  if (fields.length !== 5) return custom
  const [minuteField, hourField, dayField, monthField, weekdayField] = fields as [string, string, string, string, string]
  const minute = integer(minuteField, 0, 59)
  const hour = integer(hourField, 0, 23)
  if (minute === null || hour === null) return custom
  const time = `${pad(hour)}:${pad(minute)}`

  if (dayField === '*' && monthField === '*' && weekdayField === '*') return { kind: 'daily', time }
  if (dayField === '*' && monthField === '*') {
    const weekday = integer(weekdayField, 0, 7)
    // Cron reads both 0 and 7 as Sunday.
    return weekday === null ? custom : { kind: 'weekly', weekday: weekday % 7, time }
  }
  if (weekdayField !== '*') return custom
  const day = integer(dayField, 1, LAST_PICKED_DAY)
  if (day === null) return custom
  if (monthField === '*') return { kind: 'monthly', day, time }
  if (monthField === QUARTER_MONTHS || monthField === '*/3') return { kind: 'quarterly', day, time }
  return custom
}

/** A frequency in words, without the time zone: "Monthly on the 1st at 07:00". */
export function describeFrequency(frequency: Frequency): string {
  if (frequency.kind === 'custom') return `Custom (cron ${frequency.cron.trim()})`
  const at = `at ${frequency.time}`
  switch (frequency.kind) {
    case 'daily': return `Daily ${at}`
    case 'weekly': return `Weekly on ${WEEKDAYS[frequency.weekday]} ${at}`
    case 'monthly': return `Monthly on the ${ordinal(frequency.day)} ${at}`
    case 'quarterly': return `Quarterly on the ${ordinal(frequency.day)} of January, April, July and October ${at}`
  }
}

/** A schedule's cron expression and time zone in words: "Monthly on the 1st at 07:00 (Europe/London)". */
export function describeSchedule(cron: string, timezone: string): string {
  return `${describeFrequency(fromCron(cron))} (${timezone})`
}
