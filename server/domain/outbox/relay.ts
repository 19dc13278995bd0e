/**
 * The relay half of every outbox: rows are enqueued by their request after it commits; a row whose
 * enqueue was lost (a crash, the queue briefly down) is still waiting a minute later, and this
 * enqueues it again. Job ids come from the row ids, so a job that still exists is not added twice,
 * and the processors skip rows that are already finished. Run once a minute by the maintenance job.
 */
import { and, eq, lt, sql } from 'drizzle-orm'
import { withPlatform } from '../../../db/tenant'
import { enqueueOutbox, type OutboxKind, type OutboxRef } from './define'
import { OUTBOX_KINDS } from './kinds'

/** How long a row may wait before the relay takes its enqueue for lost. */
const STALE_AFTER = sql`now() - interval '1 minute'`
/** Rows per kind per sweep; the rest wait for the next sweep. */
const BATCH = 1000

/** The rows of `kind` still waiting for their job after a minute (read as the platform role, across tenants). */
export async function dueRows(kind: OutboxKind): Promise<OutboxRef[]> {
  const tenantId = kind.view.tenantId ?? sql<null>`null`
  return withPlatform(({ tx }) => tx.select({ tenantId, id: kind.id }).from(kind.table)
    .where(and(eq(kind.status, kind.statuses[0]), lt(kind.createdAt, STALE_AFTER))).limit(BATCH)) as Promise<OutboxRef[]>
}

/** Enqueues every due row of every kind; returns how many per kind. */
export async function relayOutbox(kinds: readonly OutboxKind[] = OUTBOX_KINDS): Promise<Record<string, number>> {
  const relayed: Record<string, number> = {}
  for (const kind of kinds) {
    const rows = await dueRows(kind)
    for (const ref of rows) await enqueueOutbox(kind, ref)
    relayed[kind.name] = rows.length
  }
  return relayed
}
