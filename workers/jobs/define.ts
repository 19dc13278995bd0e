import type { Job } from 'bullmq'
import type { JobData, QueueName } from '../../server/core/queues'

/** What a queue's processor module exports (one per queue in workers/jobs/). */
export interface JobHandler<N extends QueueName> {
  queue: N
  /** Runs one job; must be idempotent: a job may run again after a crash or a lost lock. */
  process: (job: Job<JobData[N]>) => Promise<unknown>
  /** Called once, after the last attempt failed (e.g. to notify someone). */
  onFinalFailure?: (data: JobData[N], error: Error) => Promise<void>
  /** Jobs this queue runs at once in one worker (default WORKER_CONCURRENCY). */
  concurrency?: number
}

/** Keeps each handler's queue name and data type tied together. */
export function defineJobHandler<N extends QueueName>(handler: JobHandler<N>): JobHandler<N> {
  return handler
}
