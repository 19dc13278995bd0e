import type { z } from 'zod'
import type { HealthResource, JOB_STATES, JobResource, OutboxRow as OutboxRowSchema, OutboxRowDetail as OutboxRowDetailSchema, QueueSummary as QueueSummarySchema } from '../../server/contracts/operations'
import type { OUTBOX_NAMES } from '../../server/domain/outbox/names'

/** The back-office operations endpoints: queues, the outboxes and system health. */
export type JobState = typeof JOB_STATES[number]
/** `paused` is the queue's flag: a paused queue's jobs stay waiting (BullMQ has no paused state). */
export type QueueSummary = z.output<typeof QueueSummarySchema>
export type QueueJob = z.output<typeof JobResource>
/** The outboxes the back-office shows: tenant mail, platform mail, exports. */
export type OutboxName = typeof OUTBOX_NAMES[number]
/** One row of an outbox (a mail or an export) in one summary shape. */
export type OutboxRow = z.output<typeof OutboxRowSchema>
export type OutboxRowDetail = z.output<typeof OutboxRowDetailSchema>
export type SystemHealth = z.output<typeof HealthResource>
