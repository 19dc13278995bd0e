/**
 * The pure rules of report schedules, shared by the contract (and so the form), the domain and the
 * worker: which cron expressions and time zones are accepted, when a schedule fires next, and which
 * report parameters a run fills in for itself. No database or framework imports: pages import this.
 */
import { CronExpressionParser } from 'cron-parser'
import { REPORT_CATALOG, REPORTS, type ReportName } from './catalog'

/** The reports a schedule can run: those whose catalog entry says how a run fills its dates. */
export const SCHEDULE_REPORTS = REPORTS.filter(r => r.schedule).map(r => r.name) as [ReportName, ...ReportName[]]

/** Whether `timezone` is an IANA zone this runtime knows (e.g. `Europe/Berlin`, `UTC`). */
export function isTimeZone(timezone: string): boolean {
  if (!timezone) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone })
    return true
  }
  catch {
    return false
  }
}

/**
 * Why `expr` is not an accepted cron expression, or undefined when it is. Accepted: five fields
 * (minute hour day-of-month month day-of-week) or six with seconds first (`*\/30 * * * * *`);
 * aliases such as `@daily` are not, so every schedule reads the same way.
 */
export function cronProblem(expr: string, timezone = 'UTC'): string | undefined {
  const fields = expr.trim().split(/\s+/)
  if (fields.length !== 5 && fields.length !== 6) return 'must have 5 fields (minute hour day month weekday) or 6 with seconds first'
  try {
    CronExpressionParser.parse(expr, { tz: isTimeZone(timezone) ? timezone : 'UTC' }).next()
    return undefined
  }
  catch (err) {
    return `is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`
  }
}

/** The first time after `after` at which the schedule fires. */
export function nextFireTime(cron: string, timezone: string, after: Date = new Date()): Date {
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: after }).next().toDate()
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function dateInZone(at: Date, timezone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** The full calendar month before the month of `date` (`YYYY-MM-DD`). */
export function previousMonth(date: string): { from: string, to: string } {
  const [year, month] = date.split('-').map(Number) as [number, number]
  const first = new Date(Date.UTC(year, month - 2, 1))
  const last = new Date(Date.UTC(year, month - 1, 0))
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) }
}

/**
 * The parameters one run uses: the schedule's own, with omitted dates filled in relative to the
 * run's date in the schedule's time zone — `asOf` becomes the run date, `from`/`to` the previous
 * full month (each one only when omitted, so `from` alone gives "from then to last month's end").
 */
export function resolveScheduleParams(report: ReportName, params: Record<string, string>, runAt: Date, timezone: string): Record<string, string> {
  const runDate = dateInZone(runAt, timezone)
  const resolved = { ...params }
  if (REPORT_CATALOG[report].schedule === 'asOf') {
    resolved.asOf ??= runDate
  }
  else {
    const month = previousMonth(runDate)
    resolved.from ??= month.from
    resolved.to ??= month.to
  }
  return resolved
}

/** The period a run covers, from its resolved parameters: one day (`asOf`), or a range. */
export function runPeriod(params: Record<string, string>): { asOf: string } | { from: string, to: string } {
  if (params.asOf) return { asOf: params.asOf }
  return { from: params.from!, to: params.to! }
}
