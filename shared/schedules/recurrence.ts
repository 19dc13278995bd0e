/**
 * The dates of a recurring invoice (server/domain/sales/recurring-invoices.ts): occurrence n
 * (0, 1, 2 …) of a schedule is its start date plus n × interval weeks (weekly) or n × interval ×
 * 1, 3 or 12 months (monthly, quarterly, yearly). Months are counted from the start date, never from
 * the previous occurrence, and a day the month does not have is clipped to its last day: a schedule
 * starting on 31 January is dated 31 Jan, 28 Feb (29 in a leap year), 31 Mar, 30 Apr, 31 May …
 * Pure: dates are `YYYY-MM-DD` strings, computed in UTC; pages and tests import it.
 */

export const RECURRENCE_FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'yearly'] as const
export type RecurrenceFrequency = typeof RECURRENCE_FREQUENCIES[number]

export interface Recurrence {
  frequency: RecurrenceFrequency
  interval: number
  startDate: string
  endDate?: string | null
}

const MONTHS: Record<Exclude<RecurrenceFrequency, 'weekly'>, number> = { monthly: 1, quarterly: 3, yearly: 12 }
const DAY_MS = 86_400_000

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return [y, m, d]
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const utc = (date: string) => Date.parse(`${date}T00:00:00Z`)

/** The last day (28–31) of a month (1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** `date` plus `months` months, the day clipped to the target month's last day. */
export function addMonthsClipped(date: string, months: number): string {
  const [y, m, d] = parts(date)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  return iso(Date.UTC(year, month - 1, Math.min(d, daysInMonth(year, month))))
}

/** Occurrence `n` (0 = the start date), ignoring the end date. */
export function occurrence(r: Recurrence, n: number): string {
  if (r.frequency === 'weekly') return iso(utc(r.startDate) + n * 7 * r.interval * DAY_MS)
  return addMonthsClipped(r.startDate, n * r.interval * MONTHS[r.frequency])
}

/**
 * The first occurrence on or after `date` (strictly after with `strict`), or null when it would
 * fall after the end date.
 */
export function occurrenceFrom(r: Recurrence, date: string, strict = false): string | null {
  let n: number
  if (date <= r.startDate) {
    n = 0
  }
  else if (r.frequency === 'weekly') {
    n = Math.floor((utc(date) - utc(r.startDate)) / (7 * r.interval * DAY_MS))
  }
  else {
    const [y0, m0] = parts(r.startDate)
    const [y1, m1] = parts(date)
    n = Math.max(0, Math.floor(((y1 - y0) * 12 + (m1 - m0)) / (r.interval * MONTHS[r.frequency])) - 1)
  }
  let next = occurrence(r, n)
  while (strict ? next <= date : next < date) next = occurrence(r, ++n)
  return r.endDate && next > r.endDate ? null : next
}

/** The occurrences from `from` (an occurrence, or null: none left) up to and including `through`, at most `limit`. */
export function occurrencesThrough(r: Recurrence, from: string | null, through: string, limit = Infinity): string[] {
  const out: string[] = []
  for (let next = from; next && next <= through && out.length < limit; next = occurrenceFrom(r, next, true)) out.push(next)
  return out
}
