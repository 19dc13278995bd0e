/**
 * The receivables reports (SPEC §5, §6 modules 4, 5 and 9): aged receivables, the customer
 * statement and the tax summary, each in the base currency, from the subledger (sales_documents,
 * receipts, sales_allocations, sales_document_line_taxes) rather than the journal: the subledger
 * knows which document an amount belongs to and when it fell due. README "Reports" states the rules.
 *
 * **Open on a date.** A document or receipt is open on `asOf` when it is dated on or before it and
 * not void by then: a void counts from its void date (the date of its reversing entry), so a void
 * dated after `asOf` still shows it open. What is open of it is its amount less the allocations that
 * count on `asOf`: dated on or before it and not released by then (a released allocation counts
 * until its release date: the date of the receipt's void entry, which released it; a release
 * without a void — none exist today — at `released_at`'s UTC day).
 *
 * **Fast.** The stored `amount_allocated` is every unreleased allocation, whatever its date. So
 * open on `asOf` = amount − amount_allocated + (unreleased allocations dated after `asOf`) −
 * (released allocations dated on or before `asOf` and released after it): the correction reads only
 * allocations dated after the date or released ones (both through migration 0021's partial
 * indexes), and the report is one pass over the documents and receipts, grouped in PostgreSQL.
 */
import { eq, sql } from 'drizzle-orm'
import { customers } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { NotFoundError } from '../errors'
import { tenantSettings } from '../reports/balances'
import { checkRange } from '../reports/statements'
import type { StatementRowType } from './statement-rows'
import { Dec, format, minorUnit } from '../money'

export const AGING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const
export type AgingBucket = typeof AGING_BUCKETS[number]

export interface AgingFigures { current: string, days1to30: string, days31to60: string, days61to90: string, over90: string, total: string }
export interface AgingRow extends AgingFigures { customerId: string, name: string }
export interface AgingDocument {
  id: string
  kind: 'invoice' | 'credit_note' | 'receipt'
  number: string
  date: string
  dueDate: string | null
  daysPastDue: number
  bucket: AgingBucket
  /** What is open of it on `asOf`, in its currency: negative for a credit note or a receipt. */
  openAmount: string
  currency: string
  /** `openAmount` × its exchange rate, rounded half-up to the base currency's minor unit. */
  openBase: string
}
export interface ArAging {
  asOf: string
  currency: string
  customerId?: string
  rows: AgingRow[]
  totals: AgingFigures
  /** With `customerId`: that customer's open documents, oldest due first. */
  documents?: AgingDocument[]
}

/**
 * Allocations whose count on `asOf` differs from what `amount_allocated` says, keyed by the
 * document they move (the invoice, and the credit note or receipt): `+amount` for an unreleased
 * allocation dated after `asOf`, `−amount` for a released one that still counted on `asOf`.
 */
function allocationCorrections(asOf: string, foreignTo?: string) {
  const scope = foreignTo ? sql`and a.currency <> ${foreignTo}` : sql``
  // Each allocation moves two documents: the invoice and its receipt or credit note (one key each,
  // from a lateral pair, so the CTE is read once and PostgreSQL can inline it into a parallel plan).
  return sql`
    corrections as (
      select k.id, sum(m.delta) as delta from (
        select a.invoice_id, coalesce(a.receipt_id, a.credit_note_id) as source_id, a.amount as delta
          from sales_allocations a
         where a.released_at is null and a.date > ${asOf}::date ${scope}
        union all
        select a.invoice_id, a.receipt_id, -a.amount
          from sales_allocations a
          left join receipts r on r.tenant_id = a.tenant_id and r.id = a.receipt_id
          left join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
         where a.released_at is not null and a.date <= ${asOf}::date ${scope}
           and coalesce(v.date, (a.released_at at time zone 'UTC')::date) > ${asOf}::date
      ) m cross join lateral (values (m.invoice_id), (m.source_id)) k(id)
      group by k.id
    )`
}

/**
 * The open items on `asOf`: one row per document or receipt with something open — its customer,
 * `due` (an invoice's due date or, without one, its date; a credit's date) and `base`, signed (+ an
 * invoice, − a credit). The aggregate reads only these; `detail` adds what the drill-down shows
 * (PostgreSQL computes every column of a UNION ALL branch, so the aggregate's rows stay narrow).
 * `foreignTo` (the base currency): only foreign-currency documents get their corrections here.
 */
function openItems(asOf: string, places: number, customerId?: string, detail = false, foreignTo?: string) {
  const customer = (column: ReturnType<typeof sql.raw>) => (customerId ? sql`and ${column} = ${customerId}::uuid` : sql``)
  const docCols = sql.raw(detail ? ', d.kind, d.number, d.date, d.due_date, d.currency' : '')
  const receiptCols = sql.raw(detail ? `, 'receipt', r.number, r.date, null::date, r.currency` : '')
  const documents = sql`d.id, d.customer_id, case when d.kind = 'invoice' then 1 else -1 end as sign, coalesce(d.due_date, d.date) as due, d.exchange_rate, d.total - d.amount_allocated as open ${docCols}`
  const receiptsOf = sql`r.id, r.customer_id, -1, r.date, r.exchange_rate, r.amount - r.amount_allocated ${receiptCols}`
  return sql`
    with ${allocationCorrections(asOf, foreignTo)},
    raw as (
      select ${documents}
        from sales_documents d
       where d.status in ('issued', 'partially_paid', 'paid') and d.date <= ${asOf}::date ${customer(sql.raw('d.customer_id'))}
      union all
      select ${documents}
        from sales_documents d join journal_entries v on v.tenant_id = d.tenant_id and v.id = d.void_entry_id
       where d.status = 'void' and d.date <= ${asOf}::date and v.date > ${asOf}::date ${customer(sql.raw('d.customer_id'))}
      union all
      select ${receiptsOf}
        from receipts r
       where r.status = 'active' and r.date <= ${asOf}::date ${customer(sql.raw('r.customer_id'))}
      union all
      select ${receiptsOf}
        from receipts r join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
       where r.status = 'void' and r.date <= ${asOf}::date and v.date > ${asOf}::date ${customer(sql.raw('r.customer_id'))}
    ),
    items as (
      select ${detail ? sql`raw.*, raw.sign * (raw.open + coalesce(c.delta, 0)) as open_signed, ${asOf}::date - raw.due as days,` : sql`raw.customer_id, raw.due,`}
             raw.sign * case when raw.exchange_rate = 1 then raw.open + coalesce(c.delta, 0) else round((raw.open + coalesce(c.delta, 0)) * raw.exchange_rate, ${places}) end as base
        from raw left join corrections c on c.id = raw.id
       where raw.open + coalesce(c.delta, 0) <> 0
    )`
}

const BUCKET_OF = sql`case when days <= 0 then 'current' when days <= 30 then 'days1to30' when days <= 60 then 'days31to60' when days <= 90 then 'days61to90' else 'over90' end`

/**
 * Base-currency corrections straight into their buckets: each allocation that counts differently on
 * `asOf` than `amount_allocated` says moves its invoice (by the invoice's due date) and its receipt
 * or credit note (by its date), each only when that document itself counts on `asOf` — the dates
 * stored with the allocation (migration 0026), so an index range of `sales_allocations` gives them
 * all. Signed as the open items are: an invoice +, a credit −.
 */
function baseCorrections(asOf: string, base: string, customerId?: string) {
  const customer = customerId ? sql`and a.customer_id = ${customerId}::uuid` : sql``
  return sql`
      select a.customer_id, a.invoice_due as due, a.amount as base
        from sales_allocations a
       where a.released_at is null and a.date > ${asOf}::date and a.currency = ${base} and a.invoice_date <= ${asOf}::date ${customer}
      union all
      select a.customer_id, a.source_date, -a.amount
        from sales_allocations a
       where a.released_at is null and a.date > ${asOf}::date and a.currency = ${base} and a.source_date <= ${asOf}::date ${customer}
      union all
      select a.customer_id, x.due, x.base
        from sales_allocations a
        join receipts r on r.tenant_id = a.tenant_id and r.id = a.receipt_id
        left join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
        join sales_documents i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
        left join journal_entries iv on iv.tenant_id = i.tenant_id and iv.id = i.void_entry_id
        cross join lateral (values (a.invoice_due, -a.amount, i.status <> 'void' or iv.date > ${asOf}::date), (a.source_date, a.amount, true)) x(due, base, counts)
       where a.released_at is not null and a.date <= ${asOf}::date and a.currency = ${base} and x.counts
         and coalesce(v.date, (a.released_at at time zone 'UTC')::date) > ${asOf}::date ${customer}`
}

/**
 * The aging's one query: the open items on `asOf`, summed per customer and bucket in PostgreSQL.
 * A foreign-currency document's base is its open amount on `asOf` at its rate, rounded once, so its
 * corrections are applied per document (`openItems` with the foreign scope); a base-currency
 * document's base is its open amount, so its stored open amount goes into its bucket as it is and
 * the corrections into theirs (`baseCorrections`) — sums that equal the per-document ones (the
 * drill-down computes those, and the tests compare the two). A customer whose every bucket is zero
 * on `asOf` is left out.
 */
export function agingQuery(asOf: string, places: number, base: string, customerId?: string) {
  return sql`
    ${openItems(asOf, places, customerId, false, base)},
    all_items as (
      select customer_id, due, base from items
      union all ${baseCorrections(asOf, base, customerId)}
    ),
    -- bucket 0 current, 1 for 1–30 days past due … 4 over 90
    per_bucket as (
      select customer_id, least(4, greatest(0, (${asOf}::date - due + 29) / 30)) as bucket, sum(base) as base from all_items group by 1, 2
    ),
    per_customer as (
      select customer_id,
             coalesce(sum(base) filter (where bucket = 0), 0) as current,
             coalesce(sum(base) filter (where bucket = 1), 0) as days1to30,
             coalesce(sum(base) filter (where bucket = 2), 0) as days31to60,
             coalesce(sum(base) filter (where bucket = 3), 0) as days61to90,
             coalesce(sum(base) filter (where bucket = 4), 0) as over90,
             sum(base) as total
        from per_bucket group by customer_id
       having bool_or(base <> 0)
    )
    select p.customer_id, c.name, ${sql.join(['current', 'days1to30', 'days31to60', 'days61to90', 'over90', 'total'].map(k => sql.raw(
      `round(p.${k}, ${places})::text as ${k}, round(sum(p.${k}) over (), ${places})::text as all_${k}`)), sql`, `)}
      from per_customer p join customers c on c.id = p.customer_id
     order by c.name, c.id`
}

export async function arAging(tx: Tx, query: { asOf: string, customerId?: string }): Promise<ArAging> {
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const { asOf, customerId } = query
  if (customerId) await customerOrNotFound(tx, customerId)
  // Figures and totals come summed and rounded to the currency's places by PostgreSQL (exact numeric).
  const rows = await tx.execute<{ customer_id: string, name: string } & Record<AgingBucket | 'total' | `all_${AgingBucket | 'total'}`, string>>(agingQuery(asOf, places, currency, customerId))
  const zero = format(new Dec(0), places)
  const first = rows[0]
  const result: ArAging = {
    asOf, currency,
    rows: rows.map(r => ({ customerId: r.customer_id, name: r.name, current: r.current, days1to30: r.days1to30, days31to60: r.days31to60, days61to90: r.days61to90, over90: r.over90, total: r.total })),
    totals: {
      current: first?.all_current ?? zero, days1to30: first?.all_days1to30 ?? zero, days31to60: first?.all_days31to60 ?? zero,
      days61to90: first?.all_days61to90 ?? zero, over90: first?.all_over90 ?? zero, total: first?.all_total ?? zero,
    },
  }
  const fix = (v: string) => format(new Dec(v), places)
  if (!customerId) return result
  const docs = await tx.execute<{ id: string, kind: AgingDocument['kind'], number: string, date: string, due_date: string | null, days: number, bucket: AgingBucket, open: string, currency: string, base: string }>(sql`
    ${openItems(asOf, places, customerId, true)}
    select id, kind, number, date::text, due_date::text, days, ${BUCKET_OF} as bucket, open_signed::text as open, currency, base::text
      from items order by due, date, number, id`)
  result.customerId = customerId
  result.documents = docs.map(d => ({
    id: d.id, kind: d.kind, number: d.number, date: d.date, dueDate: d.due_date, daysPastDue: Number(d.days), bucket: d.bucket,
    openAmount: format(new Dec(d.open), minorUnit(d.currency)), currency: d.currency, openBase: fix(d.base),
  }))
  return result
}

async function customerOrNotFound(tx: Tx, id: string) {
  const [row] = await tx.select({ id: customers.id, name: customers.name, code: customers.code, email: customers.email, currency: customers.currency })
    .from(customers).where(eq(customers.id, id))
  if (!row) throw new NotFoundError('Customer')
  return row
}

// ---------------------------------------------------------------------------------------------
// Customer statement

export interface StatementRow {
  date: string
  type: StatementRowType
  /** The invoice, credit note or receipt (an FX difference: the allocation's invoice). */
  id: string
  number: string
  reference: string | null
  charges: string
  payments: string
  balance: string
}
export interface CustomerStatement {
  customer: { id: string, name: string, code: string | null, email: string | null }
  currency: string
  from: string
  to: string
  openingBalance: string
  rows: StatementRow[]
  closingBalance: string
}

/**
 * What moved the customer's receivable, in base, each movement as its posting put it on the AR
 * control account: a document or receipt at its posted base (amount × rate, rounded), its void at
 * its void date, each allocation's realised FX difference (base of the receipt or credit note −
 * base of the invoice it settles: a charge when the payment was worth more) on its date, and that
 * difference's reversal when a receipt's void released the allocation. So the closing balance is
 * the customer's balance carried on the AR control account.
 */
export async function customerStatement(tx: Tx, customerId: string, range: { from: string, to: string }): Promise<CustomerStatement> {
  const { from, to } = range
  checkRange(from, to)
  const customer = await customerOrNotFound(tx, customerId)
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const moves = sql`
    moves as (
      select d.date, d.kind as type, d.id, d.number, d.reference, case when d.kind = 'invoice' then 1 else -1 end * round(d.total * d.exchange_rate, ${places}) as amount, 1 as ord
        from sales_documents d where d.customer_id = ${customerId}::uuid and d.status <> 'draft'
      union all
      select v.date, d.kind || '_void', d.id, d.number, d.reference, case when d.kind = 'invoice' then -1 else 1 end * round(d.total * d.exchange_rate, ${places}), 4
        from sales_documents d join journal_entries v on v.tenant_id = d.tenant_id and v.id = d.void_entry_id
       where d.customer_id = ${customerId}::uuid and d.status = 'void'
      union all
      select r.date, 'receipt', r.id, r.number, r.reference, -round(r.amount * r.exchange_rate, ${places}), 2
        from receipts r where r.customer_id = ${customerId}::uuid
      union all
      select v.date, 'receipt_void', r.id, r.number, r.reference, round(r.amount * r.exchange_rate, ${places}), 5
        from receipts r join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
       where r.customer_id = ${customerId}::uuid and r.status = 'void'
      union all
      select a.date, 'fx_difference', a.invoice_id, i.number, coalesce(r.number, cn.number), a.base_amount_source - a.base_amount_invoice, 3
        from sales_allocations a
        join sales_documents i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
        left join receipts r on r.tenant_id = a.tenant_id and r.id = a.receipt_id
        left join sales_documents cn on cn.tenant_id = a.tenant_id and cn.id = a.credit_note_id
       where a.customer_id = ${customerId}::uuid and a.base_amount_source <> a.base_amount_invoice
      union all
      select v.date, 'fx_difference_void', a.invoice_id, i.number, r.number, a.base_amount_invoice - a.base_amount_source, 6
        from sales_allocations a
        join sales_documents i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
        join receipts r on r.tenant_id = a.tenant_id and r.id = a.receipt_id
        join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
       where a.customer_id = ${customerId}::uuid and a.released_at is not null and a.base_amount_source <> a.base_amount_invoice
    )`
  const [opening] = await tx.execute<{ amount: string }>(sql`with ${moves} select coalesce(sum(amount), 0)::text as amount from moves where date < ${from}::date`)
  const rows = await tx.execute<{ date: string, type: StatementRowType, id: string, number: string, reference: string | null, amount: string }>(sql`
    with ${moves}
    select date::text, type, id, number, reference, amount::text from moves
     where date between ${from}::date and ${to}::date
     order by date, ord, number, id`)
  let balance = new Dec(opening!.amount)
  const openingBalance = format(balance, places)
  const zero = format(new Dec(0), places)
  const out: StatementRow[] = rows.map((r) => {
    const amount = new Dec(r.amount)
    balance = balance.plus(amount)
    return {
      date: r.date, type: r.type, id: r.id, number: r.number, reference: r.reference,
      charges: amount.gt(0) ? format(amount, places) : zero, payments: amount.lt(0) ? format(amount.neg(), places) : zero,
      balance: format(balance, places),
    }
  })
  return {
    customer: { id: customer.id, name: customer.name, code: customer.code, email: customer.email },
    currency, from, to, openingBalance, rows: out, closingBalance: format(balance, places),
  }
}

// ---------------------------------------------------------------------------------------------
// Tax summary

export interface TaxSummaryRow {
  taxRateId: string
  code: string
  name: string
  rate: string
  salesNet: string
  salesTax: string
  purchasesNet: string
  purchasesTax: string
}
export interface TaxSummary {
  from: string
  to: string
  currency: string
  rows: TaxSummaryRow[]
  totals: { salesNet: string, salesTax: string, purchasesNet: string, purchasesTax: string, net: string }
}

/**
 * Tax charged per tax rate (a group is one row: each line's net once, its components' tax summed)
 * on the documents issued in the range, in base: per document and rate, net and tax × the
 * document's rate, rounded half-up to the base minor unit. A credit note counts negative; a void
 * reverses the document in the period of its void date (a document issued and voided in the range
 * nets to zero there). Purchases are "0.00" until payables land.
 */
export async function taxSummary(tx: Tx, range: { from: string, to: string }): Promise<TaxSummary> {
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const { from, to } = range
  checkRange(from, to)
  const rows = await tx.execute<{ tax_rate_id: string, code: string, name: string, rate: string, net: string, tax: string }>(sql`
    with docs as (
      select d.id, d.exchange_rate, case when d.kind = 'invoice' then 1 else -1 end as sign
        from sales_documents d
       where d.status <> 'draft' and d.date between ${from}::date and ${to}::date
      union all
      select d.id, d.exchange_rate, case when d.kind = 'invoice' then -1 else 1 end
        from sales_documents d join journal_entries v on v.tenant_id = d.tenant_id and v.id = d.void_entry_id
       where d.status = 'void' and v.date between ${from}::date and ${to}::date
    ),
    per_line as (
      select t.document_id, t.line_no, t.tax_rate_id, max(t.net) as net, sum(t.tax) as tax
        from sales_document_line_taxes t where t.document_id in (select id from docs)
       group by t.document_id, t.line_no, t.tax_rate_id
    ),
    per_document as (
      select l.tax_rate_id, d.sign * round(sum(l.net) * d.exchange_rate, ${places}) as net, d.sign * round(sum(l.tax) * d.exchange_rate, ${places}) as tax
        from per_line l join docs d on d.id = l.document_id
       group by d.id, d.sign, d.exchange_rate, l.tax_rate_id
    )
    select p.tax_rate_id, r.code, r.name, r.rate::text, sum(p.net)::text as net, sum(p.tax)::text as tax
      from per_document p join tax_rates r on r.id = p.tax_rate_id
     group by p.tax_rate_id, r.code, r.name, r.rate
     order by r.code, p.tax_rate_id`)
  const zero = format(new Dec(0), places)
  let salesNet = new Dec(0)
  let salesTax = new Dec(0)
  const out = rows.map((r) => {
    salesNet = salesNet.plus(r.net)
    salesTax = salesTax.plus(r.tax)
    return {
      taxRateId: r.tax_rate_id, code: r.code, name: r.name, rate: new Dec(r.rate).toString(),
      salesNet: format(new Dec(r.net), places), salesTax: format(new Dec(r.tax), places), purchasesNet: zero, purchasesTax: zero,
    }
  })
  return {
    from, to, currency, rows: out,
    totals: { salesNet: format(salesNet, places), salesTax: format(salesTax, places), purchasesNet: zero, purchasesTax: zero, net: format(salesTax, places) },
  }
}

// ---------------------------------------------------------------------------------------------
// Dashboard

export interface ReceivablesSummary extends AgingFigures { overdue: string, currency: string }

/** The dashboard's receivables: the aging totals on `asOf` and what is overdue (every bucket but current). */
export async function receivablesSummary(tx: Tx, asOf: string): Promise<ReceivablesSummary> {
  const { totals, currency } = await arAging(tx, { asOf })
  const places = minorUnit(currency)
  const overdue = new Dec(totals.days1to30).plus(totals.days31to60).plus(totals.days61to90).plus(totals.over90)
  return { ...totals, overdue: format(overdue, places), currency }
}
