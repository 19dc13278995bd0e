/**
 * Runs the job handlers: one BullMQ worker per queue, a heartbeat, and a graceful stop.
 *
 * Used by the worker process (workers/index.ts) and, on the embedded default, inside the web
 * process (server/plugins/02.worker.ts). `stop()` lets running jobs finish (BullMQ's close waits
 * for them) before closing connections; a process killed outright leaves its jobs locked until the
 * lock expires (JOB_LOCK_SECONDS), when another worker takes them up again as stalled.
 */
import { randomUUID } from 'node:crypto'
import type { Worker } from 'bullmq'
import { useConfig } from '../server/core/config'
import { beat, forget, HEARTBEAT_SECONDS } from '../server/core/heartbeat'
import { errorText, log, withoutSqlParameters } from '../server/core/log'
import { createWorker, queueBackend, useQueue, type QueueName } from '../server/core/queues'
import { jobHandlers } from './jobs'
import type { JobHandler } from './jobs/define'

/** How often the receivables sweep (recurring invoices, dunning) runs. */
export const RECEIVABLES_EVERY_MS = 3_600_000

export interface RunningWorkers {
  id: string
  stop: () => Promise<void>
}

export async function startWorkers(mode: 'in-process' | 'process', handlers: JobHandler<QueueName>[] = jobHandlers): Promise<RunningWorkers> {
  const id = randomUUID()
  const startedAt = new Date().toISOString()
  const workers: Worker[] = []
  let active = 0
  for (const handler of handlers) {
    const worker = await createWorker(handler.queue, job => handler.process(job as never).catch((err: unknown) => {
      // A failed job's error is kept in the queue (shown in the back-office), outside row-level
      // security: it must not carry tenant data such as SQL parameters.
      throw withoutSqlParameters(err)
    }), { concurrency: handler.concurrency ?? useConfig().workerConcurrency })
    worker.on('active', () => {
      active += 1
    })
    worker.on('completed', () => {
      active -= 1
    })
    worker.on('failed', (job, error) => {
      if (!job) return
      active -= 1
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError'
      log.warn('job failed', { queue: handler.queue, jobId: job.id, attempt: job.attemptsMade, final, error: error.message })
      if (final && handler.onFinalFailure) {
        handler.onFinalFailure(job.data as never, error).catch((err: unknown) => log.error('final-failure hook failed', { queue: handler.queue, error: errorText(err) }))
      }
    })
    worker.on('error', err => log.error('worker error', { queue: handler.queue, error: err.message }))
    workers.push(worker as unknown as Worker)
  }
  // Periodic upkeep (re-enqueueing lost jobs) runs once a minute on whichever worker is free.
  const maintenance = await useQueue('maintenance')
  await maintenance.upsertJobScheduler('sweep', { every: 60_000 }, { name: 'sweep', data: {} })
  // Recurring invoices and dunning: hourly, plus a catch-up now (what fell due while no worker ran).
  if (handlers.some(h => h.queue === 'receivables')) {
    const receivables = await useQueue('receivables')
    await receivables.upsertJobScheduler('receivables-hourly', { every: RECEIVABLES_EVERY_MS }, { name: 'sweep', data: {} })
    await receivables.add('sweep', {}, { jobId: `receivables-start-${id}` })
  }

  const sendBeat = () => beat({
    id, mode, backend: queueBackend(), startedAt,
    queues: handlers.map(h => h.queue),
    active,
  }).catch((err: unknown) => log.warn('heartbeat failed', { error: errorText(err) }))
  await sendBeat()
  const timer = setInterval(() => void sendBeat(), HEARTBEAT_SECONDS * 1000)
  timer.unref()
  log.info('worker started', { id, mode, backend: queueBackend(), queues: handlers.map(h => h.queue) })

  let stopping: Promise<void> | undefined
  return {
    id,
    stop: () => {
      stopping ??= (async () => {
        clearInterval(timer)
        await Promise.all(workers.map(w => w.close()))
        await forget(id).catch(() => {})
        log.info('worker stopped', { id })
      })()
      return stopping
    },
  }
}
