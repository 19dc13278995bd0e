/**
 * Customers (SPEC 6.5). Searched by name, e-mail and code; an optional code is unique. `balance` is
 * open amounts − unallocated credits in base currency: "0.00" until invoices, credit notes and
 * receipts exist (they compute it; nothing here stores a balance).
 *
 * Creating one records the `customer.created` event of SPEC §5 (server/domain/events) in the same
 * transaction, beside its audit event: a refused or rolled-back creation leaves neither.
 */
import { and, asc, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm'
import { customers } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError } from '../errors'
import { recordEvent } from '../events/events'
import { likePattern } from './tax-rates'

export interface CustomerInput {
  name: string
  email?: string | null
  currency?: string | null
  paymentTermsDays?: number | null
  taxNumber?: string | null
  billingAddress?: string | null
  code?: string | null
  isActive?: boolean
}
export type CustomerPatch = Partial<CustomerInput> & { version?: number }

type Row = typeof customers.$inferSelect
export type Customer = Omit<Row, 'tenantId'> & { balance: string }

const present = ({ tenantId: _, ...r }: Row): Customer => ({ ...r, balance: '0.00' })

function codeTaken(err: unknown): never {
  if (isUniqueViolation(err, 'customers_code_key')) throw new ConflictError('A customer with this code exists', 'CUSTOMER_CODE_TAKEN', { code: 'is already used' })
  throw err
}

export async function getCustomer(tx: Tx, id: string): Promise<Customer> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, id))
  if (!row) throw new NotFoundError('Customer')
  return present(row)
}

export interface CustomerListQuery {
  page: number
  pageSize: number
  q?: string
  active?: boolean
  sort?: { field: 'name' | 'code' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listCustomers(tx: Tx, query: CustomerListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const where: SQL | undefined = and(
    like ? or(ilike(customers.name, like), ilike(customers.email, like), ilike(customers.code, like)) : undefined,
    query.active === undefined ? undefined : eq(customers.isActive, query.active),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(customers).where(where) as [{ total: number }]
  const rows = await tx.select().from(customers).where(where).orderBy(dir(customers[query.sort?.field ?? 'name']), asc(customers.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(present), total: Number(total) }
}

export async function createCustomer(tx: Tx, tenantId: string, actor: Actor, input: CustomerInput): Promise<Customer> {
  let row: Row
  try {
    ;[row] = await tx.insert(customers).values({
      tenantId, name: input.name, email: input.email ?? null, currency: input.currency ?? null, paymentTermsDays: input.paymentTermsDays ?? null,
      taxNumber: input.taxNumber ?? null, billingAddress: input.billingAddress ?? null, code: input.code ?? null, isActive: input.isActive ?? true,
    }).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  const created = present(row)
  await recordAudit(tx, tenantId, actor, { action: 'customer.create', entityType: 'customer', entityId: row.id, after: created })
  await recordEvent(tx, tenantId, { type: 'customer.created', entityType: 'customer', entityId: row.id, data: created })
  return created
}

export async function updateCustomer(tx: Tx, tenantId: string, actor: Actor, id: string, patch: CustomerPatch): Promise<Customer> {
  const [before] = await tx.select().from(customers).where(eq(customers.id, id)).for('update')
  if (!before) throw new NotFoundError('Customer')
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This customer was changed by someone else; reload and try again', 'STALE_VERSION')
  const pick = <K extends keyof CustomerInput>(key: K) => (patch[key] === undefined ? before[key] : patch[key]) as Row[K]
  let after: Row
  try {
    ;[after] = await tx.update(customers).set({
      name: patch.name ?? before.name, email: pick('email'), currency: pick('currency'), paymentTermsDays: pick('paymentTermsDays'),
      taxNumber: pick('taxNumber'), billingAddress: pick('billingAddress'), code: pick('code'), isActive: patch.isActive ?? before.isActive,
      version: before.version + 1, updatedAt: new Date(),
    }).where(eq(customers.id, id)).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  await recordAudit(tx, tenantId, actor, { action: 'customer.update', entityType: 'customer', entityId: id, before: present(before), after: present(after) })
  return present(after)
}
