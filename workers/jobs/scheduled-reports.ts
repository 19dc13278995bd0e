/**
 * Scheduled report runs: each job is fired by the schedule's BullMQ job scheduler (id = schedule
 * id) at a cron time. The fire time is the run's key, so every attempt of one run shares it.
 */
import type { Job } from 'bullmq'
import type { JobData } from '../../server/core/queues'
import { recordScheduleFailure, runScheduledReport } from '../../server/domain/reports/schedules'
import { defineJobHandler } from './define'

/**
 * When the scheduler fired this job: `opts.prevMillis`, which BullMQ sets on every job a job
 * scheduler produces; its job id `repeat:<schedulerId>:<millis>` carries the same number.
 */
function fireTime(job: Job<JobData['scheduled-reports']>): number {
  const millis = job.opts.prevMillis ?? Number(/^repeat:.+:(\d+)$/.exec(job.id ?? '')?.[1])
  if (!Number.isFinite(millis)) throw new Error(`job ${job.id} was not fired by a job scheduler`)
  return millis
}

export default defineJobHandler({
  queue: 'scheduled-reports',
  async process(job) {
    return runScheduledReport(job.data.tenantId, job.data.scheduleId, fireTime(job))
  },
  async onFinalFailure(data, error) {
    await recordScheduleFailure(data.tenantId, data.scheduleId, error)
  },
})
