/**
 * Customers (SPEC 6.5). Searched by name, e-mail and code; an optional code is unique. `balance` is
 * open amounts − unallocated credits in base currency, computed on every read (`customerBalances`),
 * never stored.
 *
 * Creating one records the `customer.created` event of SPEC §5 (server/domain/events) in the same
 * transaction, beside its audit event: a refused or rolled-back creation leaves neither.
 */
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm'
import { customers } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError } from '../errors'
import { recordEvent } from '../events/events'
import { baseCurrencyOf } from '../ledger/posting'
import { format, minorUnit, Dec } from '../money'
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

const present = ({ tenantId: _, ...r }: Row, balance: string): Customer => ({ ...r, balance })

/**
 * Each customer's balance in base currency: Σ of its terms, each document's open amount converted at
 * its own rate and rounded half-up to the base minor unit per document (as its posting was):
 * + issued invoices' total − amount allocated (paid ones are 0, void ones left out);
 * − issued credit notes' unallocated total.
 * Receipts will add one term: − each receipt's unallocated amount, at its rate.
 */
export async function customerBalances(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const places = minorUnit(await baseCurrencyOf(tx, tenantId))
  const out = new Map(ids.map(id => [id, format(new Dec(0), places)]))
  if (!ids.length) return out
  const rows = await tx.execute<{ customer_id: string, balance: string }>(sql`
    select customer_id, sum(amount)::text as balance from (
      select d.customer_id,
             round((d.total - d.amount_allocated) * d.exchange_rate, ${places}) * case d.kind when 'invoice' then 1 else -1 end as amount
        from sales_documents d
       where d.customer_id in (${sql.join(ids.map(id => sql`${id}::uuid`), sql`, `)}) and d.status in ('issued', 'partially_paid', 'paid')
    ) terms
    group by customer_id`)
  for (const r of rows) out.set(r.customer_id, format(new Dec(r.balance), places))
  return out
}

async function withBalances(tx: Tx, tenantId: string, rows: Row[]): Promise<Customer[]> {
  const balances = await customerBalances(tx, tenantId, rows.map(r => r.id))
  return rows.map(r => present(r, balances.get(r.id)!))
}

function codeTaken(err: unknown): never {
  if (isUniqueViolation(err, 'customers_code_key')) throw new ConflictError('A customer with this code exists', 'CUSTOMER_CODE_TAKEN', { code: 'is already used' })
  throw err
}

export async function getCustomer(tx: Tx, tenantId: string, id: string): Promise<Customer> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, id))
  if (!row) throw new NotFoundError('Customer')
  return (await withBalances(tx, tenantId, [row]))[0]!
}

export interface CustomerListQuery {
  page: number
  pageSize: number
  q?: string
  active?: boolean
  sort?: { field: 'name' | 'code' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listCustomers(tx: Tx, tenantId: string, query: CustomerListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const where: SQL | undefined = and(
    like ? or(ilike(customers.name, like), ilike(customers.email, like), ilike(customers.code, like)) : undefined,
    query.active === undefined ? undefined : eq(customers.isActive, query.active),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(customers).where(where) as [{ total: number }]
  const rows = await tx.select().from(customers).where(where).orderBy(dir(customers[query.sort?.field ?? 'name']), asc(customers.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: await withBalances(tx, tenantId, rows), total: Number(total) }
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
  const created = (await withBalances(tx, tenantId, [row]))[0]!
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
  const [was, now] = await withBalances(tx, tenantId, [before, after]) as [Customer, Customer]
  await recordAudit(tx, tenantId, actor, { action: 'customer.update', entityType: 'customer', entityId: id, before: was, after: now })
  return now
}
