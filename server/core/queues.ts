/**
 * BullMQ queues, shared by the web process (which adds jobs) and the worker (which runs them).
 *
 * Backend: Redis when REDIS_URL is set; otherwise BullMQ's PostgreSQL backend in the app's own
 * database (schema `bullmq`, migrated under BullMQ's advisory lock), so the embedded default needs
 * nothing but Node. Queue names are the same on both; Redis keys carry the deployment namespace,
 * so two deployments sharing one Redis never see each other's jobs.
 *
 * Job payloads carry ids only (`{ tenantId, ... }`): the queue's storage sits outside row-level
 * security, so tenant data never goes into it. Processors load what they need through `withTenant`.
 */
import { createPostgresBackend, Queue, Worker, withBackend, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq'
import { Redis } from 'ioredis'
import { useDatabase } from '../../db/client'
import { deploymentNamespace } from './cache'
import { useConfig } from './config'

export interface JobData {
  'exports': { tenantId: string, exportId: string }
  /** A statement import above 5,000 lines (server/domain/bank/import-jobs.ts). */
  'bank-imports': { tenantId: string, jobId: string }
  'scheduled-reports': { tenantId: string, scheduleId: string }
  /** `tenantId: null`: a platform mail (platform_mail_outbox), e.g. the sign-up link. */
  'mail': { tenantId: string | null, mailId: string }
  /** Hourly, and at each worker start: recurring invoices and dunning reminders of every tenant (server/domain/sales/receivables-jobs.ts). */
  'receivables': Record<string, never>
  /** Periodic upkeep: re-enqueues outbox mail and exports whose enqueue was lost. */
  'maintenance': Record<string, never>
}
export type QueueName = keyof JobData
export const QUEUE_NAMES: readonly QueueName[] = ['exports', 'bank-imports', 'scheduled-reports', 'mail', 'receivables', 'maintenance']

/** Retries with exponential backoff (2 s, 4 s, 8 s …); finished jobs kept a day, failed ones a week. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
}

export type BackendKind = 'redis' | 'postgres'

export function queueBackend(): BackendKind {
  return useConfig().redisUrl ? 'redis' : 'postgres'
}

interface Connection {
  kind: BackendKind
  Queue: typeof Queue
  Worker: typeof Worker
  options: () => { connection: never, prefix?: string }
}

let connection: Promise<Connection> | undefined
let sharedRedis: Redis | undefined
const queues = new Map<QueueName, Queue>()

async function connectBackend(): Promise<Connection> {
  const { redisUrl } = useConfig()
  if (redisUrl) {
    // BullMQ needs maxRetriesPerRequest: null on its connections (blocking commands).
    sharedRedis = new Redis(redisUrl, { maxRetriesPerRequest: null })
    const prefix = `${deploymentNamespace()}:bull`
    return { kind: 'redis', Queue, Worker, options: () => ({ connection: sharedRedis as never, prefix }) }
  }
  const { url } = await useDatabase()
  const pg = withBackend(createPostgresBackend)
  return {
    kind: 'postgres',
    // The PostgreSQL classes share the Redis classes' API; only their connection type differs.
    Queue: pg.Queue as unknown as typeof Queue,
    Worker: pg.Worker as unknown as typeof Worker,
    options: () => ({ connection: { connectionString: url, max: 4, migrate: true, application_name: 'paksa-queue' } as never }),
  }
}

function useConnection(): Promise<Connection> {
  connection ??= connectBackend()
  return connection
}

/** The producer side of one queue (created once per process). */
export async function useQueue<N extends QueueName>(name: N): Promise<Queue<JobData[N]>> {
  const c = await useConnection()
  let queue = queues.get(name)
  if (!queue) {
    queue = new c.Queue(name, { ...c.options(), defaultJobOptions: DEFAULT_JOB_OPTIONS })
    queues.set(name, queue)
  }
  return queue as unknown as Queue<JobData[N]>
}

/**
 * Adds a job. `jobId` makes the add idempotent: while a job with that id exists, adding it again
 * does nothing (used so a re-enqueue after a lost acknowledgement never runs the work twice).
 */
export async function enqueue<N extends QueueName>(name: N, data: JobData[N], options: JobsOptions & { jobId: string }): Promise<void> {
  const queue = await useQueue(name)
  await (queue as unknown as Queue).add(name, data, options)
}

/** A worker for one queue, on the same backend as the producers. */
export async function createWorker<N extends QueueName>(name: N, processor: Processor<JobData[N]>, options: Partial<WorkerOptions> = {}): Promise<Worker<JobData[N]>> {
  const c = await useConnection()
  const { jobLockSeconds } = useConfig()
  const own = c.kind === 'redis' ? { connection: new Redis(useConfig().redisUrl!, { maxRetriesPerRequest: null }) as never, prefix: c.options().prefix } : c.options()
  return new c.Worker(name, processor as Processor, {
    ...own,
    lockDuration: jobLockSeconds * 1000,
    stalledInterval: Math.max(1000, jobLockSeconds * 500),
    maxStalledCount: 2,
    ...options,
  }) as unknown as Worker<JobData[N]>
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map(q => q.close().catch(() => {})))
  queues.clear()
  await sharedRedis?.quit().catch(() => {})
  sharedRedis = undefined
  connection = undefined
}
