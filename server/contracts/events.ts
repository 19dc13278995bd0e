/**
 * The event feed (SPEC §5 `GET /api/v1/events`, §6 module 14): every committed event once, in
 * order, never skipped by a follower (server/domain/events/README.md). Permission `audit:read`: the
 * feed carries every module's changes (customers, invoices, bills, the ledger), so it goes to the
 * roles that read everything — owner, admin, auditor — as the audit trail does.
 */
import { z } from 'zod'
import { decodeCursor } from '../domain/events/cursor'
import { EVENT_TYPES } from '../domain/events/types'
import { defineContract, Timestamp, Uuid } from './define'

const Cursor = z.string().transform((value, ctx) => {
  const position = decodeCursor(value)
  if (!position) {
    ctx.addIssue({ code: 'custom', message: 'must be a nextCursor this feed handed out' })
    return z.NEVER
  }
  return position
}).meta({ description: 'The `nextCursor` of the previous page; left out, the feed starts from its first event' })

export const EventListQuery = z.object({
  after: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const FeedEventResource = z.object({
  id: Uuid,
  type: z.enum(EVENT_TYPES),
  occurredAt: Timestamp,
  data: z.record(z.string(), z.unknown()).meta({ description: 'The resource as the API answers it when the event happened (a customer for `customer.created`)' }),
}).meta({ id: 'Event' })

export const EventPage = z.object({
  data: z.array(FeedEventResource),
  nextCursor: z.string().meta({ description: 'Ask with `after=` this next; unchanged when there is nothing new yet' }),
})

export const eventContracts = {
  listEvents: defineContract({ operationId: 'listEvents', method: 'get', path: '/api/v1/events', tag: 'Integrations', audience: 'tenant', permission: 'audit:read', summary: 'The event feed: every committed event once, in order, after a cursor', query: EventListQuery, response: EventPage }),
}
