/**
 * The back-office view of every outbox (SPEC 6.13: without SMTP_URL mail is held and read here),
 * one kind at a time: tenant mail, platform mail (sign-up links), report exports, and any kind
 * added later, through each kind's `view` (server/domain/outbox). It is a cross-tenant read of
 * message contents, so each list and each opened row is recorded in the platform audit log,
 * naming what was looked at, and each kind masks what an operator must not read (the bearer
 * links in invitation, password-reset and sign-up mail). The read and its audit record share the
 * route's platform transaction (its `write`): a read that could not be recorded is not answered.
 */
import { count, desc, eq, getTableName, sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { tenants } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { NotFoundError, ValidationError } from '../errors'
import type { OutboxKind } from '../outbox/define'
import { outboxKind } from '../outbox/kinds'
import type { OutboxName } from '../outbox/names'
import { recordPlatformAudit } from './admins'

export interface OutboxRow {
  id: string
  outbox: OutboxName
  /** null for a platform row (it belongs to no tenant). */
  tenantId: string | null
  tenantSlug: string | null
  /** What kind of row within its outbox: a mail's kind (`invitation`), an export's format. */
  type: string
  /** A mail's subject, an export's report. */
  title: string
  recipients: string[]
  status: string
  attempts: number
  error: string | null
  createdAt: Date
  finishedAt: Date | null
}

export interface OutboxRowDetail extends OutboxRow {
  /** The row's contents as the kind shows them to an operator (a mail's bodies, an export's parameters). */
  details: Record<string, unknown>
}

/** The summary columns of a kind; a platform kind has no tenant and a kind may have no recipients. */
function summaryOf(kind: OutboxKind) {
  const v = kind.view
  return {
    id: kind.id, tenantId: v.tenantId ?? sql<null>`null`, tenantSlug: v.tenantId ? tenants.slug : sql<null>`null`, type: v.type, title: v.title,
    recipients: v.recipients ?? sql<string[]>`array[]::text[]`, status: kind.status, attempts: v.attempts, error: v.error,
    createdAt: kind.createdAt, finishedAt: v.finishedAt,
  }
}

type SelectFields = Record<string, PgColumn | SQL | Record<string, PgColumn>>

/** A kind's rows joined with their tenant (for the slug), when the kind has tenants. */
function fromKind(tx: Tx, kind: OutboxKind, fields: SelectFields) {
  const query = tx.select(fields).from(kind.table)
  return kind.view.tenantId ? query.leftJoin(tenants, eq(tenants.id, kind.view.tenantId)) : query
}

function statusFilter(kind: OutboxKind, status: string | undefined): SQL | undefined {
  if (status === undefined) return undefined
  if (!kind.statuses.includes(status)) throw new ValidationError('Invalid query parameters', { status: `must be one of ${kind.statuses.join(', ')}` })
  return eq(kind.status, status)
}

/** One page of an outbox's rows across tenants, newest first, optionally of one status; recorded in the platform audit (`tx`: a platform transaction). */
export async function listOutbox(tx: Tx, query: { outbox: OutboxName, page: number, pageSize: number, status?: string }, actor: Actor): Promise<{ data: OutboxRow[], total: number }> {
  const kind = outboxKind(query.outbox)
  const filter = statusFilter(kind, query.status)
  const [{ total }] = await tx.select({ total: count() }).from(kind.table).where(filter) as [{ total: number }]
  const rows = await fromKind(tx, kind, summaryOf(kind)).where(filter)
    .orderBy(desc(kind.createdAt), desc(kind.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  const result = { data: rows.map(r => ({ ...r, outbox: kind.name }) as OutboxRow), total: Number(total) }
  await recordPlatformAudit(tx, actor, 'outbox.list', getTableName(kind.table), undefined, { status: query.status ?? null, page: query.page, ids: result.data.map(m => m.id) })
  return result
}

/** One row of an outbox with its contents, as its kind presents them to an operator; recorded in the platform audit (`tx`: a platform transaction). */
export async function getOutboxRow(tx: Tx, outbox: OutboxName, id: string, actor: Actor): Promise<OutboxRowDetail> {
  const kind = outboxKind(outbox)
  const [row] = await fromKind(tx, kind, { ...summaryOf(kind), details: kind.view.details }).where(eq(kind.id, id))
  if (!row) throw new NotFoundError('Outbox row')
  const { details, ...summary } = row as unknown as OutboxRow & { details: Record<string, unknown> }
  await recordPlatformAudit(tx, actor, 'outbox.read', getTableName(kind.table), id, { tenantId: summary.tenantId })
  return { ...summary, outbox: kind.name, details: kind.view.present(details) }
}
