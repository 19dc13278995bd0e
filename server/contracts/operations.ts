import { z } from 'zod'
import { OUTBOX_NAMES } from '../domain/outbox/names'
import { JOB_STATES } from '../domain/platform/job-states'
import { defineContract, IdParams, Ok, listQuery, listResponse, Timestamp, Uuid } from './define'

/** Unknown queue names are a 404 (the domain checks them), not a 400: the path names a resource. */
const QueueName = z.string().max(64)
/** BullMQ ids: ours (`export-<uuid>`), its own counters, and scheduler-made ones (`repeat:…`). */
const JobId = z.string().regex(/^[\w-][\w:.-]{0,199}$/, 'must be a job id')
export const QueueParams = z.object({ queue: QueueName })
export const JobParams = z.object({ queue: QueueName, jobId: JobId })

const JobCounts = z.object(Object.fromEntries(JOB_STATES.map(s => [s, z.number().int()])) as Record<typeof JOB_STATES[number], z.ZodNumber>)
export const QueueSummary = z.object({ name: z.string(), paused: z.boolean(), counts: JobCounts }).meta({ id: 'Queue' })

export const JobListQuery = listQuery(['createdAt']).pick({ page: true, pageSize: true }).extend({
  state: z.enum(JOB_STATES).default('failed'),
})

export const JobResource = z.object({
  id: z.string(), name: z.string(), queue: z.string(), state: z.string(),
  /** The job's payload, ids only (payloads never carry tenant data). */
  data: z.record(z.string(), z.string()),
  attemptsMade: z.number().int(), attempts: z.number().int(),
  failedReason: z.string().nullable(),
  createdAt: Timestamp.nullable(), processedAt: Timestamp.nullable(), finishedAt: Timestamp.nullable(),
}).meta({ id: 'Job' })

/** `outbox` names the outbox kind (tenant mail by default); `status` is checked against that kind's statuses. */
export const OutboxListQuery = listQuery(['createdAt']).pick({ page: true, pageSize: true }).extend({
  outbox: z.enum(OUTBOX_NAMES).default('mail'),
  status: z.string().trim().min(1).max(40).optional(),
})
export const OutboxRowQuery = z.object({ outbox: z.enum(OUTBOX_NAMES).default('mail') })
export const OutboxRow = z.object({
  id: Uuid, outbox: z.enum(OUTBOX_NAMES), tenantId: Uuid.nullable(), tenantSlug: z.string().nullable(),
  type: z.string().meta({ description: 'A mail\'s kind (`invitation`), an export\'s format' }),
  title: z.string().meta({ description: 'A mail\'s subject, an export\'s report' }),
  recipients: z.array(z.string()), status: z.string(), attempts: z.number().int(), error: z.string().nullable(),
  createdAt: Timestamp, finishedAt: Timestamp.nullable(),
}).meta({ id: 'OutboxRow' })
export const OutboxRowDetail = OutboxRow.extend({
  details: z.record(z.string(), z.unknown()).meta({ description: 'The contents as the kind shows them: a mail\'s `text`, `html` (bearer links masked) and `attachments`; an export\'s `params`, `filename`, `size`' }),
}).meta({ id: 'OutboxRowDetail' })

const Check = z.enum(['ok', 'failed', 'skipped'])
export const WorkerBeatResource = z.object({
  id: z.string(), pid: z.number().int(), host: z.string(), mode: z.enum(['in-process', 'process']), backend: z.enum(['redis', 'postgres']),
  queues: z.array(z.string()), startedAt: Timestamp, beatAt: Timestamp, active: z.number().int(),
}).meta({ id: 'WorkerBeat' })
export const HealthResource = z.object({
  database: Check, cache: Check, queueBackend: z.enum(['redis', 'postgres']), workers: z.array(WorkerBeatResource),
}).meta({ id: 'PlatformHealth' })

export const operationsContracts = {
  queues: defineContract({ operationId: 'listQueues', method: 'get', path: '/api/v1/admin/queues', tag: 'Back-office', audience: 'admin', summary: 'Job counts per state for every queue', response: z.object({ data: z.array(QueueSummary) }) }),
  jobs: defineContract({ operationId: 'listJobs', method: 'get', path: '/api/v1/admin/queues/{queue}/jobs', tag: 'Back-office', audience: 'admin', summary: 'Jobs of one queue in one state (default failed), newest first', params: QueueParams, query: JobListQuery, response: listResponse(JobResource) }),
  retryJob: defineContract({ operationId: 'retryJob', method: 'post', path: '/api/v1/admin/queues/{queue}/jobs/{jobId}/retry', tag: 'Back-office', audience: 'admin', summary: 'Retry a failed job (409 JOB_NOT_FAILED otherwise)', params: JobParams, response: JobResource, errors: ['JOB_NOT_FAILED'] }),
  removeJob: defineContract({ operationId: 'removeJob', method: 'delete', path: '/api/v1/admin/queues/{queue}/jobs/{jobId}', tag: 'Back-office', audience: 'admin', summary: 'Remove a job that is not running (409 JOB_ACTIVE while it runs)', params: JobParams, response: Ok, errors: ['JOB_ACTIVE'] }),
  outbox: defineContract({ operationId: 'listOutbox', method: 'get', path: '/api/v1/admin/outbox', tag: 'Back-office', audience: 'admin', summary: 'The rows of one outbox (tenant mail, platform mail, exports) across tenants, newest first (an audited cross-tenant read)', query: OutboxListQuery, response: listResponse(OutboxRow) }),
  outboxRow: defineContract({ operationId: 'getOutboxRow', method: 'get', path: '/api/v1/admin/outbox/{id}', tag: 'Back-office', audience: 'admin', summary: 'One outbox row with its contents, e.g. a mail\'s text and HTML body (an audited cross-tenant read)', params: IdParams, query: OutboxRowQuery, response: OutboxRowDetail }),
  health: defineContract({ operationId: 'getPlatformHealth', method: 'get', path: '/api/v1/admin/health', tag: 'Back-office', audience: 'admin', summary: 'Database, cache, queue backend and the workers that beat recently', response: HealthResource }),
}
