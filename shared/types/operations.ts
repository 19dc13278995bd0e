import type { z } from 'zod'
import type { HealthResource, JOB_STATES, JobResource, MAIL_STATUSES, OutboxMail as OutboxMailSchema, OutboxMailDetail as OutboxMailDetailSchema, QueueSummary as QueueSummarySchema } from '../../server/contracts/operations'

/** The back-office operations endpoints: queues, the mail outbox and system health. */
export type JobState = typeof JOB_STATES[number]
/** `paused` is the queue's flag: a paused queue's jobs stay waiting (BullMQ has no paused state). */
export type QueueSummary = z.output<typeof QueueSummarySchema>
export type QueueJob = z.output<typeof JobResource>
export type MailStatus = typeof MAIL_STATUSES[number]
export type OutboxMail = z.output<typeof OutboxMailSchema>
export type OutboxMailDetail = z.output<typeof OutboxMailDetailSchema>
export type SystemHealth = z.output<typeof HealthResource>
