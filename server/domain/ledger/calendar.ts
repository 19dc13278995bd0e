/**
 * The fiscal calendar as pure date arithmetic on ISO dates (`YYYY-MM-DD`, UTC, no time zones): a
 * fiscal year starts on the 1st of the tenant's start month and has twelve monthly periods.
 * Tested without a database in tests/unit/calendar.test.ts.
 */

export const isoDate = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10)
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/** The fiscal year (by its start date) that contains `date` for a year starting in `startMonth`. */
export function fiscalYearStart(date: string, startMonth: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  return isoDate(m >= startMonth ? y : y - 1, startMonth, 1)
}

/** The twelve monthly periods of the fiscal year starting on the 1st of `startMonth` in `startYear`. */
export function periodsOf(startYear: number, startMonth: number): { start: string, end: string }[] {
  return Array.from({ length: 12 }, (_, i) => {
    const m0 = startMonth - 1 + i
    const y = startYear + Math.floor(m0 / 12)
    const m = (m0 % 12) + 1
    return { start: isoDate(y, m, 1), end: isoDate(y, m, lastDay(y, m)) }
  })
}
