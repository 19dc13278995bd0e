/**
 * The event feed (SPEC §5 `GET /api/v1/events`, §6 module 14; issue 12 point 8). `recordEvent` writes
 * a state change's event in the transaction that makes the change (a rolled-back change leaves
 * none); `listEvents` hands events to a follower in (txid, seq) order, only those of transactions
 * older than the oldest one still running, so an event committed late by a transaction that
 * started earlier is never skipped by a cursor that has moved on (README: "Ordering").
 */
import { sql } from 'drizzle-orm'
import { events } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { encodeCursor, FEED_START, type FeedPosition } from './cursor'
import type { EventType } from './types'

export interface EventInput {
  type: EventType
  entityType: string
  entityId: string
  /** The payload a follower and a webhook receive: the resource as the API answers it. */
  data: Record<string, unknown>
}

export interface FeedEvent { id: string, type: EventType, occurredAt: string, data: Record<string, unknown> }

/** Records one event in `tx` (the change's own transaction). */
export async function recordEvent(tx: Tx, tenantId: string, input: EventInput): Promise<{ id: string }> {
  const [row] = await tx.insert(events).values({
    tenantId, type: input.type, entityType: input.entityType, entityId: input.entityId,
    // Through JSON once, as the API would answer it: dates become ISO strings, undefined is dropped.
    data: JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>,
  }).returning({ id: events.id }) as [{ id: string }]
  return row
}

interface FeedRow extends Record<string, unknown> { id: string, type: EventType, occurred_at: string, data: Record<string, unknown>, txid: string, seq: string }

/**
 * The next `limit` events after `after` (from the start without one), and the cursor to ask with
 * next: the last event's position, or `after` itself when there is nothing new yet (a follower
 * keeps its place). One statement, so the snapshot that filters by xmin is the one that reads.
 */
export async function listEvents(tx: Tx, query: { after?: FeedPosition, limit: number }): Promise<{ data: FeedEvent[], nextCursor: string }> {
  const after = query.after ?? FEED_START
  const rows = await tx.execute<FeedRow>(sql`
    select id, type, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, data,
           txid::text as txid, seq::text as seq
    from events
    where txid < pg_snapshot_xmin(pg_current_snapshot())
      and (txid, seq) > (${after.txid}::xid8, ${after.seq}::bigint)
    order by txid, seq
    limit ${query.limit}`)
  const list = [...rows] as FeedRow[]
  const last = list.at(-1)
  return {
    data: list.map(r => ({ id: r.id, type: r.type, occurredAt: r.occurred_at, data: r.data })),
    nextCursor: encodeCursor(last ? { txid: last.txid, seq: last.seq } : after),
  }
}
