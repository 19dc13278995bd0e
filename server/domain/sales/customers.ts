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
 * Each customer's balance in base currency: what its documents carry on the AR control account —
 * each document's posted base (its amount × its rate, rounded half-up to the base minor unit, as its
 * posting was) less the base its allocations took off it (server/domain/sales/allocations.ts):
 * + issued invoices (paid ones carry 0, void ones are left out);
 * − issued credit notes' unallocated credit;
 * − active receipts' unallocated credit (each at the receipt's rate).
 * For a document in the base currency this is exactly total − amount allocated; in another
 * currency it is (total − amount allocated) × rate but for the cents per-allocation rounding left
 * (a settled document carries exactly 0). Summed over all customers it equals the AR control
 * account's balance (tests/db/sales-properties.test.ts).
 */
export async function customerBalances(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const places = minorUnit(await baseCurrencyOf(tx, tenantId))
  const out = new Map(ids.map(id => [id, format(new Dec(0), places)]))
  if (!ids.length) return out
  const list = sql.join(ids.map(id => sql`${id}::uuid`), sql`, `)
  const rows = await tx.execute<{ customer_id: string, balance: string }>(sql`
    select customer_id, sum(amount)::text as balance from (
      select d.customer_id,
             (round(d.total * d.exchange_rate, ${places})
              - coalesce((select sum(case d.kind when 'invoice' then a.base_amount_invoice else a.base_amount_source end)
                            from sales_allocations a
                           where a.released_at is null and (a.invoice_id = d.id or a.credit_note_id = d.id)), 0))
             * case d.kind when 'invoice' then 1 else -1 end as amount
        from sales_documents d
       where d.customer_id in (${list}) and d.status in ('issued', 'partially_paid', 'paid')
      union all
      select r.customer_id,
             -(round(r.amount * r.exchange_rate, ${places})
               - coalesce((select sum(a.base_amount_source) from sales_allocations a where a.receipt_id = r.id and a.released_at is null), 0))
        from receipts r
       where r.customer_id in (${list}) and r.status = 'active'
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
