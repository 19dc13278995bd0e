/**
 * The back-office queue monitor: counts per state, the jobs in one state, and retrying or removing
 * a job by hand. Works the same on both queue backends (BullMQ's Redis and PostgreSQL backends
 * share the Queue and Job API). Retries and removals are recorded in the platform audit log, in the
 * route's platform transaction.
 */
import type { Job } from 'bullmq'
import type { Tx } from '../../../db/tenant'
import { QUEUE_NAMES, useQueue, type QueueName } from '../../core/queues'
import type { Actor } from '../audit/audit'
import { ConflictError, NotFoundError } from '../errors'
import { recordPlatformAudit } from './admins'
import { JOB_STATES } from './job-states'

export type JobState = typeof JOB_STATES[number]

export interface QueueSummary { name: QueueName, paused: boolean, counts: Record<JobState, number> }

export interface JobView {
  id: string
  name: string
  queue: QueueName
  state: string
  /** The payload's id fields only, so nothing else a job might carry reaches the screen. */
  data: Record<string, string>
  attemptsMade: number
  attempts: number
  failedReason: string | null
  createdAt: Date | null
  processedAt: Date | null
  finishedAt: Date | null
}

function knownQueue(name: string): QueueName {
  if (!(QUEUE_NAMES as readonly string[]).includes(name)) throw new NotFoundError('Queue')
  return name as QueueName
}

const when = (ms: number | undefined) => (ms ? new Date(ms) : null)

function idsOnly(data: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      if (/^(id|\w*Id)$/.test(key) && typeof value === 'string') out[key] = value
    }
  }
  return out
}

function jobView(queue: QueueName, job: Job, state: string): JobView {
  return {
    id: job.id!, name: job.name, queue, state, data: idsOnly(job.data),
    attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason || null,
    createdAt: when(job.timestamp), processedAt: when(job.processedOn), finishedAt: when(job.finishedOn),
  }
}

/** Every queue with its job count in each state. */
export async function queueSummaries(): Promise<QueueSummary[]> {
  return Promise.all(QUEUE_NAMES.map(async (name) => {
    const queue = await useQueue(name)
    const [raw, paused] = await Promise.all([queue.getJobCounts(...JOB_STATES), queue.isPaused()])
    const counts = Object.fromEntries(JOB_STATES.map(s => [s, raw[s] ?? 0])) as Record<JobState, number>
    return { name, paused, counts }
  }))
}

/** One page of a queue's jobs in one state, newest first. */
export async function listJobs(queueName: string, query: { state: JobState, page: number, pageSize: number }): Promise<{ data: JobView[], total: number }> {
  const name = knownQueue(queueName)
  const queue = await useQueue(name)
  const start = (query.page - 1) * query.pageSize
  const [total, jobs] = await Promise.all([
    queue.getJobCountByTypes(query.state),
    queue.getJobs([query.state], start, start + query.pageSize - 1, false),
  ])
  return { data: jobs.filter(Boolean).map(job => jobView(name, job as Job, query.state)), total }
}

async function findJob(queueName: string, jobId: string) {
  const name = knownQueue(queueName)
  const job = await (await useQueue(name)).getJob(jobId) as Job | undefined
  if (!job) throw new NotFoundError('Job')
  return { name, job, state: await job.getState() }
}

/** Moves a failed job back to waiting with its attempts reset; 409 for a job in any other state. */
export async function retryJob(tx: Tx, queueName: string, jobId: string, actor: Actor): Promise<JobView> {
  const { name, job, state } = await findJob(queueName, jobId)
  if (state !== 'failed') throw new ConflictError(`Only a failed job can be retried; this one is ${state}`, 'JOB_NOT_FAILED')
  await job.retry('failed')
  await recordPlatformAudit(tx, actor, 'queue.job.retry', 'queue_job', undefined, { queue: name, jobId, data: idsOnly(job.data), failedReason: job.failedReason })
  return jobView(name, job, await job.getState())
}

/** Removes a job that is not running; 409 while a worker holds it. */
export async function removeJob(tx: Tx, queueName: string, jobId: string, actor: Actor): Promise<void> {
  const { name, job, state } = await findJob(queueName, jobId)
  if (state === 'active') throw new ConflictError('This job is running; remove it once it has finished or failed', 'JOB_ACTIVE')
  try {
    await job.remove()
  }
  catch (err) {
    // A worker took the job between the state check and the removal: it is locked now.
    throw new ConflictError(`The job could not be removed: ${(err as Error).message}`, 'JOB_ACTIVE')
  }
  await recordPlatformAudit(tx, actor, 'queue.job.remove', 'queue_job', undefined, { queue: name, jobId, state, data: idsOnly(job.data) })
}
