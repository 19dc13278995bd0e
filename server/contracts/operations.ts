import { z } from 'zod'
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

export const MAIL_STATUSES = ['pending', 'sent', 'failed', 'held'] as const
export const OutboxListQuery = listQuery(['createdAt']).pick({ page: true, pageSize: true }).extend({
  status: z.enum(MAIL_STATUSES).optional(),
})
export const OutboxMail = z.object({
  id: Uuid, tenantId: Uuid, tenantSlug: z.string().nullable(), kind: z.string(), to: z.array(z.string()), subject: z.string(),
  status: z.enum(MAIL_STATUSES), attempts: z.number().int(), error: z.string().nullable(), createdAt: Timestamp, sentAt: Timestamp.nullable(),
}).meta({ id: 'OutboxMail' })
export const OutboxMailDetail = OutboxMail.extend({
  text: z.string(), html: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string() })),
}).meta({ id: 'OutboxMailDetail' })

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
  outbox: defineContract({ operationId: 'listOutboxMail', method: 'get', path: '/api/v1/admin/outbox', tag: 'Back-office', audience: 'admin', summary: 'Every tenant\'s outgoing mail, newest first (an audited cross-tenant read)', query: OutboxListQuery, response: listResponse(OutboxMail) }),
  outboxMail: defineContract({ operationId: 'getOutboxMail', method: 'get', path: '/api/v1/admin/outbox/{id}', tag: 'Back-office', audience: 'admin', summary: 'One outgoing mail with its text and HTML body (an audited cross-tenant read)', params: IdParams, response: OutboxMailDetail }),
  health: defineContract({ operationId: 'getPlatformHealth', method: 'get', path: '/api/v1/admin/health', tag: 'Back-office', audience: 'admin', summary: 'Database, cache, queue backend and the workers that beat recently', response: HealthResource }),
}
