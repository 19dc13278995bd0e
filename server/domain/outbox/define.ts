/**
 * One mechanism for every transactional outbox: a row written in the transaction of its cause,
 * handed to a queue after that commit, re-handed by the relay if that enqueue was lost, and
 * processed by an idempotent job. Each kind (tenant mail, platform mail, report exports, …) is
 * one `OutboxKind`; the relay (relay.ts), the worker's job handlers and the back-office view
 * (server/domain/platform/outbox.ts) work over the list in kinds.ts.
 */
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import { enqueue, type JobData, type QueueName } from '../../core/queues'
import { errorText, log } from '../../core/log'
import type { OutboxName } from './names'

/** One outbox row as the queue and the relay name it: its tenant (null: a platform row) and id. */
export interface OutboxRef {
  tenantId: string | null
  id: string
}

/** What a kind's processor may report back to the job while it runs. */
export interface OutboxProgress {
  progress?: (pct: number) => Promise<void>
}

/**
 * How the back-office lists the rows of a kind: its columns mapped onto one summary (a mail's
 * subject and an export's report alike become `title`), and the contents shown when one row is
 * opened, with `present` masking what an operator must not read (bearer links).
 */
export interface OutboxView {
  tenantId: PgColumn | null
  type: PgColumn
  title: PgColumn
  recipients: PgColumn | null
  attempts: PgColumn
  error: PgColumn
  finishedAt: PgColumn
  details: Record<string, PgColumn>
  present: (details: Record<string, unknown>) => Record<string, unknown>
}

export interface OutboxKind<N extends QueueName = QueueName> {
  /** Stable name, shown and filtered on in the back-office: `mail`, `platform-mail`, `exports`. */
  name: OutboxName
  /** The table that holds the rows, with its id, status and creation columns. */
  table: PgTable
  id: PgColumn
  status: PgColumn
  createdAt: PgColumn
  /** The statuses of the table, the first the one a row waits in for its job. */
  statuses: readonly [string, ...string[]]
  view: OutboxView
  queue: N
  /** The job id derived from the row id: a row has at most one job however often it is enqueued. */
  jobId: (rowId: string) => string
  jobData: (ref: OutboxRef) => JobData[N]
  /** The row a job of this queue is about, or null when the job belongs to another kind of the queue. */
  refOf(data: JobData[N]): OutboxRef | null
  /**
   * Claims the row, does the work and completes the row; idempotent (a finished row is left
   * alone). Throws to have the job retried.
   */
  process: (ref: OutboxRef, hooks: OutboxProgress) => Promise<unknown>
  /** After the job's last attempt failed: the row is marked failed (its cause told, where it has one). */
  fail: (ref: OutboxRef, error: Error) => Promise<void>
}

/** Keeps a kind's queue name and job data type tied together. */
export function defineOutboxKind<N extends QueueName>(kind: OutboxKind<N>): OutboxKind<N> {
  return kind
}

/** Adds the row's job (idempotent per row); throws when the queue cannot take it. */
export async function enqueueOutbox<N extends QueueName>(kind: OutboxKind<N>, ref: OutboxRef): Promise<void> {
  await enqueue(kind.queue, kind.jobData(ref), { jobId: kind.jobId(ref.id) })
}

/**
 * Hands a committed row to its queue. Call it only after the transaction that wrote the row has
 * committed (the job reads the row). A failed enqueue is logged, not thrown: the row keeps
 * waiting and the relay enqueues it again within a minute or two.
 */
export async function dispatchOutbox<N extends QueueName>(kind: OutboxKind<N>, ref: OutboxRef): Promise<void> {
  try {
    await enqueueOutbox(kind, ref)
  }
  catch (err) {
    log.warn('outbox enqueue failed; the relay retries it', { outbox: kind.name, tenantId: ref.tenantId, id: ref.id, error: errorText(err) })
  }
}
