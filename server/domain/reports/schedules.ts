/**
 * Scheduled reports (SPEC 6.12): a report run on a cron expression in a time zone and e-mailed, as
 * an attached export, to its recipients.
 *
 * The database row is the truth; the queue holds one BullMQ job scheduler per enabled schedule
 * (id = schedule id), which fires `{ tenantId, scheduleId }` jobs. They are kept together so:
 * - a write changes the queue as the last step *inside* its transaction, so when the queue is
 *   unreachable the request answers 503 QUEUE_UNAVAILABLE and nothing was changed (an
 *   Idempotency-Key retry then runs again instead of replaying a success the queue never saw);
 * - if the commit fails after the queue changed (or a queue command that timed out is carried out
 *   later, when the connection comes back), a run the queue fires for a schedule that is
 *   missing, disabled or timed differently in the database is skipped, and the queue is corrected
 *   from the row (`runScheduledReport`). The one case left is a scheduler removal that takes
 *   effect while its disable or delete does not: the schedule then stays enabled without runs
 *   until it is saved again (any save of an enabled schedule re-upserts it), and the failed
 *   request told the user so.
 *
 * A run is keyed by its fire time (`runKey`): one export and one mail per run, however often the
 * job is retried.
 */
import { and, asc, count, desc, eq, ilike, isNull, lte, or } from 'drizzle-orm'
import { reportSchedules, tenants } from '../../../db/schema'
import { withTenant, type Tx } from '../../../db/tenant'
import { errorText, log } from '../../core/log'
import { useQueue } from '../../core/queues'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, UnavailableError, ValidationError } from '../errors'
import { tenantLink } from '../mail/links'
import { dispatchMail, queueMail } from '../mail/outbox'
import { renderScheduledReportMail } from '../mail/templates'
import { notifyUsers } from '../notifications/notify'
import { getFormatSettings } from '../settings/settings'
import { reportTitle, type ReportName } from './catalog'
import { createExport, parseExportParams } from './export-requests'
import { exportErrorMessage, failExport, runExport } from './export-runner'
import { parseReportParams, reportOf } from './registry'
import { nextFireTime, resolveScheduleParams, runPeriod } from './schedule-rules'

type ScheduleRow = typeof reportSchedules.$inferSelect
type Format = ScheduleRow['format']

export interface Schedule {
  id: string
  name: string
  report: string
  params: Record<string, string>
  format: Format
  cron: string
  timezone: string
  recipients: string[]
  enabled: boolean
  createdBy: string | null
  nextRunAt: Date | null
  lastRunAt: Date | null
  lastStatus: 'done' | 'failed' | null
  lastError: string | null
  lastExportId: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface NewSchedule {
  name: string
  report: ReportName
  params: Record<string, string>
  format: Format
  cron: string
  timezone: string
  recipients: string[]
  enabled: boolean
}

export type SchedulePatch = Partial<NewSchedule> & { version?: number }

/** How long a write waits for the queue before answering 503 (ioredis queues commands while Redis is down). */
const QUEUE_TIMEOUT_MS = 5000
const SCHEDULES_LINK = '/reports/schedules'

function present(row: ScheduleRow): Schedule {
  return {
    id: row.id, name: row.name, report: row.report, params: row.params, format: row.format, cron: row.cron, timezone: row.timezone,
    recipients: row.recipients, enabled: row.enabled, createdBy: row.createdBy,
    // Computed from the row: reads never depend on the queue being reachable.
    nextRunAt: row.enabled ? nextFireTime(row.cron, row.timezone) : null,
    lastRunAt: row.lastRunAt, lastStatus: row.lastStatus, lastError: row.lastError, lastExportId: row.lastExportId,
    version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  }
}

/**
 * Refuses parameters a run could not use: the report's own check (`parseExportParams`) on the
 * parameters as a run now would resolve them, and a row they name (a general ledger's account)
 * must be one of this tenant's. Field errors are named `params.<name>`.
 */
async function checkParams(tx: Tx, report: ReportName, params: Record<string, string>, timezone: string): Promise<void> {
  const resolved = resolveScheduleParams(report, params, new Date(), timezone)
  try {
    parseExportParams(report, resolved)
  }
  catch (err) {
    if (!(err instanceof ValidationError)) throw err
    const fields = Object.fromEntries(Object.entries(err.fields ?? { _: err.message }).map(([k, v]) => [k.startsWith('params') ? k : `params.${k}`, v]))
    throw new ValidationError('Invalid report parameters', fields)
  }
  const entry = reportOf(report)
  const unknown = await entry.unknownRow(tx, parseReportParams(entry, resolved))
  if (unknown) throw new ValidationError('Invalid report parameters', { [`params.${unknown.param}`]: `names no ${unknown.entity.toLowerCase()} of this organisation` })
}

async function withQueueTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${QUEUE_TIMEOUT_MS} ms`)), QUEUE_TIMEOUT_MS)
  })
  try {
    return await Promise.race([work, timeout])
  }
  finally {
    clearTimeout(timer)
  }
}

/** Makes the queue's job scheduler match the row: present with its cron and zone when enabled, absent otherwise. */
async function syncScheduler(tenantId: string, row: Pick<ScheduleRow, 'id' | 'cron' | 'timezone' | 'enabled'> | { id: string, enabled: false }): Promise<void> {
  try {
    const queue = await withQueueTimeout(useQueue('scheduled-reports'))
    if (row.enabled) {
      await withQueueTimeout(queue.upsertJobScheduler(row.id, { pattern: row.cron, tz: row.timezone }, { name: 'run', data: { tenantId, scheduleId: row.id } }))
    }
    else {
      await withQueueTimeout(queue.removeJobScheduler(row.id))
    }
  }
  catch (err) {
    log.warn('report schedule: queue unreachable', { tenantId, scheduleId: row.id, error: errorText(err) })
    throw new UnavailableError('The job queue is unavailable; nothing was changed, try again shortly', 'QUEUE_UNAVAILABLE')
  }
}

const sortColumns = { name: reportSchedules.name, createdAt: reportSchedules.createdAt }

/** One page of the tenant's schedules, optionally filtered by name. */
export async function listSchedules(tx: Tx, query: { page: number, pageSize: number, q?: string, sort?: { field: 'name' | 'createdAt', dir: 'asc' | 'desc' } }): Promise<{ data: Schedule[], total: number }> {
  const filter = query.q ? ilike(reportSchedules.name, `%${query.q.replace(/[\\%_]/g, m => `\\${m}`)}%`) : undefined
  const column = sortColumns[query.sort?.field ?? 'name']
  const [{ total }] = await tx.select({ total: count() }).from(reportSchedules).where(filter) as [{ total: number }]
  const rows = await tx.select().from(reportSchedules).where(filter)
    .orderBy(query.sort?.dir === 'desc' ? desc(column) : asc(column), asc(reportSchedules.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(present), total: Number(total) }
}

export async function getSchedule(tx: Tx, id: string): Promise<Schedule> {
  const [row] = await tx.select().from(reportSchedules).where(eq(reportSchedules.id, id))
  if (!row) throw new NotFoundError('Report schedule')
  return present(row)
}

/** Creates a schedule and, when enabled, its job scheduler (503 QUEUE_UNAVAILABLE rolls it all back). */
export async function createSchedule(tx: Tx, tenantId: string, actor: Actor, input: NewSchedule): Promise<Schedule> {
  await checkParams(tx, input.report, input.params, input.timezone)
  const [row] = await tx.insert(reportSchedules).values({
    tenantId, name: input.name, report: input.report, params: input.params, format: input.format, cron: input.cron,
    timezone: input.timezone, recipients: input.recipients, enabled: input.enabled,
    createdBy: actor.type === 'user' ? actor.id ?? null : null,
  }).returning()
  await recordAudit(tx, tenantId, actor, { action: 'report_schedule.create', entityType: 'report_schedule', entityId: row!.id, after: row })
  await syncScheduler(tenantId, row!)
  return present(row!)
}

/** Changes a schedule (partial; `version` optional) and re-times or removes its job scheduler. */
export async function updateSchedule(tx: Tx, tenantId: string, actor: Actor, id: string, patch: SchedulePatch): Promise<Schedule> {
  const [before] = await tx.select().from(reportSchedules).where(eq(reportSchedules.id, id)).for('update')
  if (!before) throw new NotFoundError('Report schedule')
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This schedule was changed by someone else; reload and try again', 'STALE_VERSION')
  const report = (patch.report ?? before.report) as ReportName
  const params = patch.params ?? before.params
  const timezone = patch.timezone ?? before.timezone
  if (patch.report !== undefined || patch.params !== undefined || patch.timezone !== undefined) {
    await checkParams(tx, report, params, timezone)
  }
  const [after] = await tx.update(reportSchedules).set({
    name: patch.name ?? before.name, report, params, format: patch.format ?? before.format, cron: patch.cron ?? before.cron,
    timezone, recipients: patch.recipients ?? before.recipients, enabled: patch.enabled ?? before.enabled,
    version: before.version + 1, updatedAt: new Date(),
  }).where(and(eq(reportSchedules.id, id), eq(reportSchedules.version, before.version))).returning()
  await recordAudit(tx, tenantId, actor, { action: 'report_schedule.update', entityType: 'report_schedule', entityId: id, before, after })
  const timingChanged = after!.enabled !== before.enabled || after!.cron !== before.cron || after!.timezone !== before.timezone
  // Saving an enabled schedule unchanged also re-upserts it, so a save repairs a missing scheduler.
  if (timingChanged || after!.enabled) await syncScheduler(tenantId, after!)
  return present(after!)
}

/** Deletes a schedule and its job scheduler; its past exports and mails stay. */
export async function deleteSchedule(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<void> {
  const [before] = await tx.delete(reportSchedules).where(eq(reportSchedules.id, id)).returning()
  if (!before) throw new NotFoundError('Report schedule')
  await recordAudit(tx, tenantId, actor, { action: 'report_schedule.delete', entityType: 'report_schedule', entityId: id, before })
  await syncScheduler(tenantId, { id, enabled: false })
}

/** A failed run, with what the final-failure hook needs to record it against the right run. */
export class ScheduledRunError extends Error {
  constructor(readonly runKey: string, readonly exportId: string | undefined, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.name = 'ScheduledRunError'
  }
}

export type RunOutcome = { status: 'done', exportId: string, mailId: string } | { status: 'skipped', reason: string }

/** Whether the queue's job scheduler fires this row's cron in this row's zone. */
async function schedulerMatches(row: ScheduleRow): Promise<boolean> {
  const queue = await withQueueTimeout(useQueue('scheduled-reports'))
  const scheduler = await withQueueTimeout(queue.getJobScheduler(row.id))
  return scheduler?.pattern === row.cron && (scheduler.tz ?? 'UTC') === row.timezone
}

/**
 * One run of a schedule, fired at `firedAt` (ms: the job scheduler's fire time, which is also the
 * run key). Idempotent: the export is keyed by (schedule, runKey) and the mail by
 * `schedule:<id>:<runKey>`, so a retry finishes the same file and sends at most one mail.
 * Throws ScheduledRunError when the run fails.
 */
export async function runScheduledReport(tenantId: string, scheduleId: string, firedAt: number): Promise<RunOutcome> {
  const runKey = String(firedAt)
  const runAt = new Date(firedAt)
  let exportId: string | undefined
  try {
    const started = await withTenant(tenantId, async (tx) => {
      // FOR SHARE waits for a write to this schedule that is in flight (it holds the row and is
      // changing the queue), so the queue is compared with, and corrected from, committed state.
      const [schedule] = await tx.select().from(reportSchedules).where(eq(reportSchedules.id, scheduleId)).for('share')
      if (!schedule?.enabled || !(await schedulerMatches(schedule))) {
        await syncScheduler(tenantId, schedule ?? { id: scheduleId, enabled: false })
        return { run: false as const, reason: schedule?.enabled ? 'the queue\'s timing differed from the schedule (corrected)' : 'the schedule is deleted or disabled' }
      }
      const report = schedule.report as ReportName
      const params = resolveScheduleParams(report, schedule.params, runAt, schedule.timezone)
      const exp = await createExport(tx, tenantId, { report, format: schedule.format, params, requestedBy: null, scheduleId, runKey })
      return { run: true as const, schedule, params, exportId: exp.id }
    })
    if (!started.run) return { status: 'skipped', reason: started.reason }
    exportId = started.exportId
    const { schedule, params } = started
    const file = await runExport(tenantId, started.exportId)
    // A retry finds the export it failed earlier, untouched: the run fails again with its reason.
    if (file.status !== 'done') throw new RuleError(file.error ?? 'The report could not be generated', 'EXPORT_FAILED')
    const mailId = await withTenant(tenantId, async (tx) => {
      const [tenant] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
      // The period reads as the organisation writes dates, like the attached file.
      const { name, dateFormat, timeZone } = await getFormatSettings(tx)
      const content = renderScheduledReportMail({
        tenantName: name, scheduleName: schedule.name, reportTitle: reportTitle(schedule.report),
        period: runPeriod(params), format: { dateFormat, timeZone }, link: tenantLink(tenant!.slug, SCHEDULES_LINK),
      })
      const mail = await queueMail(tx, tenantId, {
        kind: 'scheduled_report', to: schedule.recipients, ...content,
        attachments: [{ filename: file.filename!, contentType: file.contentType!, exportId: file.id }],
        dedupeKey: `schedule:${scheduleId}:${runKey}`,
      })
      await recordRun(tx, scheduleId, runAt, { lastStatus: 'done', lastError: null, lastExportId: file.id })
      return mail.id
    })
    await dispatchMail(tenantId, mailId)
    return { status: 'done', exportId: file.id, mailId }
  }
  catch (err) {
    throw new ScheduledRunError(runKey, exportId, err)
  }
}

/** Records a run's outcome, unless a later run has already been recorded (a late retry never overwrites it). */
async function recordRun(tx: Tx, scheduleId: string, runAt: Date, outcome: Pick<ScheduleRow, 'lastStatus' | 'lastError' | 'lastExportId'>): Promise<void> {
  await tx.update(reportSchedules).set({ ...outcome, lastRunAt: runAt })
    .where(and(eq(reportSchedules.id, scheduleId), or(isNull(reportSchedules.lastRunAt), lte(reportSchedules.lastRunAt, runAt))))
}

/**
 * After a run's last attempt failed: the run's export is marked failed, the schedule shows the
 * failure, and the tenant's owners and admins are notified once per run.
 */
export async function recordScheduleFailure(tenantId: string, scheduleId: string, error: Error): Promise<void> {
  const run = error instanceof ScheduledRunError ? error : undefined
  // A failure outside the run (e.g. a lost lock) has no run key; the failure time stands in for it.
  const runKey = run?.runKey ?? String(Date.now())
  const message = exportErrorMessage(run?.cause ?? error)
  if (run?.exportId) await failExport(tenantId, run.exportId, message)
  const schedule = await withTenant(tenantId, async (tx) => {
    await recordRun(tx, scheduleId, new Date(Number(runKey)), { lastStatus: 'failed', lastError: message, lastExportId: run?.exportId ?? null })
    const [row] = await tx.select({ name: reportSchedules.name }).from(reportSchedules).where(eq(reportSchedules.id, scheduleId))
    return row
  })
  if (!schedule) return
  await notifyUsers(tenantId, 'admins', {
    type: 'report_schedule.failed',
    title: `Scheduled report "${schedule.name}" failed`,
    body: message,
    link: SCHEDULES_LINK,
    dedupeKey: `schedule-failed:${scheduleId}:${runKey}`,
  })
}
