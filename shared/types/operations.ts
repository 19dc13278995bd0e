import type { z } from 'zod'
import type { HealthResource, JobResource, OutboxRow as OutboxRowSchema, OutboxRowDetail as OutboxRowDetailSchema, QueueSummary as QueueSummarySchema } from '../../server/contracts/operations'
import type { OUTBOX_NAMES } from '../../server/domain/outbox/names'
import type { JOB_STATES } from '../../server/domain/platform/job-states'

/** The back-office operations endpoints: queues, the outboxes and system health. */
export type JobState = typeof JOB_STATES[number]
/** `paused` is the queue's flag: a paused queue's jobs stay waiting (BullMQ has no paused state). */
export type QueueSummary = z.output<typeof QueueSummarySchema>
export type QueueJob = z.output<typeof JobResource>
/** The outboxes the back-office shows: tenant mail, platform mail, exports. */
export type OutboxName = typeof OUTBOX_NAMES[number]
/** One row of an outbox (a mail or an export) in one summary shape. */
export type OutboxRow = z.output<typeof OutboxRowSchema>
/** One row with its contents; `details` is an open record in the contract, read here as the kinds fill it. */
export type OutboxRowDetail = Omit<z.output<typeof OutboxRowDetailSchema>, 'details'> & {
  details: {
    /** A mail's text, HTML (bearer links masked) and attachments. */
    text?: string
    html?: string
    attachments?: { filename: string, contentType: string }[]
    /** An export's parameters, file name and size. */
    params?: Record<string, string>
    filename?: string | null
    size?: number | null
  }
}
export type SystemHealth = z.output<typeof HealthResource>
