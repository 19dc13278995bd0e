/**
 * Report periods as accountants choose them: the comparative period of a statement
 * (`compare=previous-period|previous-year`) and the date presets of the report pages. Pure (plain
 * ISO dates, UTC calendar), so the server and the pages compute the same ranges.
 */

export interface DateRange {
  from: string
  to: string
}

export const COMPARE_BASES = ['previous-period', 'previous-year'] as const
export type CompareBasis = typeof COMPARE_BASES[number]

const DAY = 86_400_000

function parts(iso: string): [number, number, number] {
  return iso.split('-').map(Number) as [number, number, number]
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** The date `months` calendar months from the first of `iso`'s month: always a first. */
function addMonths(first: string, months: number): string {
  const [y, m] = parts(first)
  return iso(new Date(Date.UTC(y, m - 1 + months, 1)))
}

function lastOfMonth(date: string): string {
  const [y, m] = parts(date)
  return iso(new Date(Date.UTC(y, m, 0)))
}

function addDays(date: string, days: number): string {
  return iso(new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY))
}

/** Whole calendar months from `from` to `to` (from a first to a last day), or null. */
function wholeMonths(range: DateRange): number | null {
  if (!range.from.endsWith('-01') || lastOfMonth(range.to) !== range.to) return null
  const [fy, fm] = parts(range.from)
  const [ty, tm] = parts(range.to)
  return (ty - fy) * 12 + (tm - fm) + 1
}

/**
 * The period of the same length just before `range`: whole months step back by whole months
 * (November → October, a quarter → the quarter before, even across months of different
 * lengths); any other range steps back by its number of days.
 */
export function previousPeriod(range: DateRange): DateRange {
  const months = wholeMonths(range)
  if (months !== null) {
    const from = addMonths(range.from, -months)
    return { from, to: lastOfMonth(addMonths(from, months - 1)) }
  }
  const days = Math.round((new Date(`${range.to}T00:00:00Z`).getTime() - new Date(`${range.from}T00:00:00Z`).getTime()) / DAY) + 1
  const to = addDays(range.from, -1)
  return { from: addDays(to, -(days - 1)), to }
}

/** One year back, same day and month; 29 February becomes 28 February, and a month end stays one. */
function yearBack(date: string): string {
  const [y, m, d] = parts(date)
  const month = `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}`
  const end = lastOfMonth(`${month}-01`)
  return lastOfMonth(date) === date ? end : `${month}-${String(Math.min(d, parts(end)[2])).padStart(2, '0')}`
}

/** The same period one year earlier (`2026-11-01..2026-11-30` → `2025-11-01..2025-11-30`). */
export function previousYear(range: DateRange): DateRange {
  return { from: yearBack(range.from), to: yearBack(range.to) }
}

/** The comparative range of `basis`. */
export function comparativeRange(range: DateRange, basis: CompareBasis): DateRange {
  return basis === 'previous-period' ? previousPeriod(range) : previousYear(range)
}

/** The same date one year earlier (a balance sheet's usual comparative date). */
export function sameDateLastYear(date: string): string {
  return yearBack(date)
}

export const DATE_PRESETS = ['this-month', 'last-month', 'this-quarter', 'year-to-date', 'last-fiscal-year'] as const
export type DatePreset = typeof DATE_PRESETS[number]

export const DATE_PRESET_TITLES: Record<DatePreset, string> = {
  'this-month': 'This month',
  'last-month': 'Last month',
  'this-quarter': 'This quarter',
  'year-to-date': 'Year to date',
  'last-fiscal-year': 'Last fiscal year',
}

/**
 * A preset's range on `today`. Quarters are calendar quarters; "year to date" and "last fiscal
 * year" follow the tenant's fiscal year (starting on the first of `fiscalYearStartMonth`). The
 * current month, quarter and year run to today.
 */
export function presetRange(preset: DatePreset, today: string, fiscalYearStartMonth: number): DateRange {
  const [y, m] = parts(today)
  const monthStart = `${today.slice(0, 7)}-01`
  const yearStart = `${m >= fiscalYearStartMonth ? y : y - 1}-${String(fiscalYearStartMonth).padStart(2, '0')}-01`
  switch (preset) {
    case 'this-month': return { from: monthStart, to: today }
    case 'last-month': {
      const from = addMonths(monthStart, -1)
      return { from, to: lastOfMonth(from) }
    }
    case 'this-quarter': return { from: `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`, to: today }
    case 'year-to-date': return { from: yearStart, to: today }
    case 'last-fiscal-year': return { from: addMonths(yearStart, -12), to: addDays(yearStart, -1) }
  }
}

/** The preset whose range is exactly `range` on `today`, if any (to show which one is chosen). */
export function presetOf(range: DateRange, today: string, fiscalYearStartMonth: number): DatePreset | null {
  return DATE_PRESETS.find((p) => {
    const r = presetRange(p, today, fiscalYearStartMonth)
    return r.from === range.from && r.to === range.to
  }) ?? null
}

export type ColumnPeriod = 'month' | 'quarter'

/**
 * The columns of a statement by month or quarter over `range`: one per calendar month or calendar
 * quarter it touches, the first and last clipped to the range (`2026-01-15..2026-03-31` by month:
 * 15–31 Jan, Feb, Mar). Stops after `limit + 1` columns, enough to tell that a range has too many.
 */
export function columnPeriods(range: DateRange, by: ColumnPeriod, limit = Number.POSITIVE_INFINITY): DateRange[] {
  const step = by === 'month' ? 1 : 3
  const [y, m] = parts(range.from)
  let start = by === 'month' ? `${range.from.slice(0, 7)}-01` : `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`
  const out: DateRange[] = []
  while (start <= range.to && out.length <= limit) {
    const next = addMonths(start, step)
    const end = addDays(next, -1)
    out.push({ from: start < range.from ? range.from : start, to: end > range.to ? range.to : end })
    start = next
  }
  return out
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * A column's heading: `Jan 2026`, `Q1 2026`; a period clipped by the range says its days
 * (`15–31 Jan 2026`, `15 Jan–31 Mar 2026`).
 */
export function columnLabel(period: DateRange, by: ColumnPeriod): string {
  const [y, m, d] = parts(period.from)
  const [, tm, td] = parts(period.to)
  const whole = by === 'month'
    ? d === 1 && lastOfMonth(period.from) === period.to
    : d === 1 && (m - 1) % 3 === 0 && lastOfMonth(period.to) === period.to && tm === m + 2
  if (whole) return by === 'month' ? `${MONTHS[m - 1]} ${y}` : `Q${(m - 1) / 3 + 1} ${y}`
  return m === tm ? `${d}–${td} ${MONTHS[m - 1]} ${y}` : `${d} ${MONTHS[m - 1]}–${td} ${MONTHS[tm - 1]} ${y}`
}

/** A balance-sheet column's heading: the month or quarter it closes, or the date of a period cut short (`15 Jun 2026`). */
export function balanceColumnLabel(period: DateRange, by: ColumnPeriod): string {
  const [y, m, d] = parts(period.to)
  return lastOfMonth(period.to) === period.to && (by === 'month' || m % 3 === 0)
    ? (by === 'month' ? `${MONTHS[m - 1]} ${y}` : `Q${m / 3} ${y}`)
    : `${d} ${MONTHS[m - 1]} ${y}`
}
