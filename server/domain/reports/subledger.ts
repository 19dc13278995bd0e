/**
 * The subledger reports (SPEC §5, §6 modules 4, 5, 6 and 9): aged receivables and payables, the
 * customer and vendor statements, and the tax summary, each in the base currency, from the
 * subledgers (documents, payments, allocations, line taxes) rather than the journal: a subledger
 * knows which document an amount belongs to and when it fell due. Receivables and payables are one
 * code: a `SubledgerSide` names the tables and columns of its side (`AR_SIDE`: sales documents,
 * receipts, sales allocations; `AP_SIDE`: bills and vendor credits, bill payments, purchase
 * allocations). The sales README "Reports" states the rules, the
 * purchases README "Reports" what differs for payables.
 *
 * **Open on a date.** A document or payment is open on `asOf` when it is dated on or before it and
 * not void by then: a void counts from its void date (the date of its reversing entry), so a void
 * dated after `asOf` still shows it open. What is open of it is its amount less the allocations that
 * count on `asOf`: dated on or before it and not released by then (a released allocation counts
 * until its release date: the date of the payment's void entry, which released it; a release
 * without a void — none exist today — at `released_at`'s UTC day).
 *
 * **Fast.** The stored `amount_allocated` is every unreleased allocation, whatever its date. So
 * open on `asOf` = amount − amount_allocated + (unreleased allocations dated after `asOf`) −
 * (released allocations dated on or before `asOf` and released after it): the correction reads only
 * allocations dated after the date or released ones (both through partial indexes), and the report
 * is one grouped query in PostgreSQL. It reads only **open rows**: the documents and payments whose
 * stored open amount is not zero (`is_open`, a stored generated column with a partial index,
 * migration 0036) and those a correction moves (by id); a document paid in full by its stored
 * amount is read only when an allocation after `asOf` (or released after it) reopens it there.
 */
import { eq, sql, type SQL } from 'drizzle-orm'
import { customers, vendors } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { NotFoundError } from '../errors'
import { tenantSettings } from './balances'
import { checkRange } from './statements'
import type { StatementRowType } from '../sales/statement-rows'
import { Dec, format, minorUnit } from '../money'

export const AGING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const
export type AgingBucket = typeof AGING_BUCKETS[number]

/**
 * One side of the subledger as the reports read it. Every name is a constant of this file (SQL
 * identifiers and expressions over the document alias `d`), never input.
 */
export interface SubledgerSide<K extends string = string, P extends string = string> {
  /** The row's id field (`customerId`) and the statement's party field (`customer`). */
  idField: K
  partyField: P
  party: { table: typeof customers | typeof vendors, name: string, column: string, entity: string }
  documents: {
    table: string
    /** The document's kind on the reports (`d.kind`; `'bill'`). */
    kind: string
    /** True for a charge (an invoice, a bill), false for a credit (a credit note): SQL over `d`. */
    charge: string
    /** The statuses of a posted document that is not void. */
    posted: readonly string[]
    reference: string
    /** Its line taxes per component: the table and its column naming the document. */
    taxes: { table: string, document: string }
  }
  /** Payments (receipts, bill payments) and the allocations of payments and credits to charges. */
  payments: { table: string, kind: string }
  allocations: { table: string, charge: string, payment: string, credit: string, chargeDate: string, chargeDue: string, chargeBase: string }
}

/** Receivables: invoices (+) and credit notes (−), receipts, `sales_allocations` (migration 0019, dates 0026). */
export const AR_SIDE = {
  idField: 'customerId', partyField: 'customer',
  party: { table: customers, name: 'customers', column: 'customer_id', entity: 'Customer' },
  documents: {
    table: 'sales_documents', kind: 'd.kind', charge: `d.kind = 'invoice'`, posted: ['issued', 'partially_paid', 'paid'], reference: 'd.reference',
    taxes: { table: 'sales_document_line_taxes', document: 'document_id' },
  },
  payments: { table: 'receipts', kind: 'receipt' },
  allocations: { table: 'sales_allocations', charge: 'invoice_id', payment: 'receipt_id', credit: 'credit_note_id', chargeDate: 'invoice_date', chargeDue: 'invoice_due', chargeBase: 'base_amount_invoice' },
} as const satisfies SubledgerSide<'customerId', 'customer'>

/**
 * Payables: bills (+; what the organisation owes is positive, as a customer's debt is on the
 * receivables) and vendor credits (−, `bills` rows of kind `vendor_credit`, open until void), bill
 * payments, `purchase_allocations` (migration 0027, with the dates the aging needs).
 */
export const AP_SIDE = {
  idField: 'vendorId', partyField: 'vendor',
  party: { table: vendors, name: 'vendors', column: 'vendor_id', entity: 'Vendor' },
  documents: {
    table: 'bills', kind: 'd.kind', charge: `d.kind = 'bill'`, posted: ['open', 'partially_paid', 'paid'], reference: 'd.vendor_reference',
    taxes: { table: 'bill_line_taxes', document: 'bill_id' },
  },
  payments: { table: 'bill_payments', kind: 'bill_payment' },
  allocations: { table: 'purchase_allocations', charge: 'bill_id', payment: 'payment_id', credit: 'vendor_credit_id', chargeDate: 'bill_date', chargeDue: 'bill_due', chargeBase: 'base_amount_bill' },
} as const satisfies SubledgerSide<'vendorId', 'vendor'>

type Side = typeof AR_SIDE | typeof AP_SIDE

export interface AgingFigures { current: string, days1to30: string, days31to60: string, days61to90: string, over90: string, total: string }
export type AgingRow<K extends string> = AgingFigures & { name: string } & Record<K, string>
export interface AgingDocument {
  id: string
  kind: 'invoice' | 'credit_note' | 'receipt' | 'bill' | 'vendor_credit' | 'bill_payment'
  number: string
  date: string
  dueDate: string | null
  daysPastDue: number
  bucket: AgingBucket
  /** What is open of it on `asOf`, in its currency: negative for a credit or a payment. */
  openAmount: string
  currency: string
  /** `openAmount` × its exchange rate, rounded half-up to the base currency's minor unit. */
  openBase: string
}
export type Aging<K extends string> = {
  asOf: string
  currency: string
  rows: AgingRow<K>[]
  totals: AgingFigures
  /** With the party's id: its open documents, oldest due first. */
  documents?: AgingDocument[]
} & Partial<Record<K, string>>
export type ArAging = Aging<'customerId'>
export type ApAging = Aging<'vendorId'>

const raw = (text: string) => sql.raw(text)
const statusIn = (statuses: readonly string[]) => raw(`(${statuses.map(s => `'${s}'`).join(', ')})`)

/**
 * Only rows in another currency than `currency` (SQL over `alias`), written as two ranges: each is
 * an index condition of the allocations' `(tenant_id, currency, date)` index (migration 0036),
 * where `<>` would be a filter over every allocation after the date.
 */
const otherCurrency = (alias: string, currency: string) => sql`(${raw(alias)}.currency < ${currency} or ${raw(alias)}.currency > ${currency})`

/**
 * Allocations whose count on `asOf` differs from what `amount_allocated` says, keyed by the
 * document they move (the charge, and the credit or payment): `+amount` for an unreleased
 * allocation dated after `asOf`, `−amount` for a released one that still counted on `asOf`.
 * `foreignTo`: only those in another currency than it; `partyId`: only that party's (an
 * allocation's charge and source are both its party's).
 */
function allocationCorrections(side: Side, asOf: string, foreignTo?: string, partyId?: string) {
  const a = side.allocations
  const scope = sql`${foreignTo ? sql`and ${otherCurrency('a', foreignTo)}` : sql``} ${partyId ? sql`and ${raw(`a.${side.party.column}`)} = ${partyId}::uuid` : sql``}`
  // Each allocation moves two documents: the charge and its payment or credit (one key each, from
  // a lateral pair, so the CTE is read once).
  return sql`
    corrections as (
      select k.id, sum(m.delta) as delta from (
        select a.${raw(a.charge)} as charge_id, coalesce(a.${raw(a.payment)}, a.${raw(a.credit)}) as source_id, a.amount as delta
          from ${raw(a.table)} a
         where a.released_at is null and a.date > ${asOf}::date ${scope}
        union all
        select a.${raw(a.charge)}, a.${raw(a.payment)}, -a.amount
          from ${raw(a.table)} a
          left join ${raw(side.payments.table)} r on r.tenant_id = a.tenant_id and r.id = a.${raw(a.payment)}
          left join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
         where a.released_at is not null and a.date <= ${asOf}::date ${scope}
           and coalesce(v.date, (a.released_at at time zone 'UTC')::date) > ${asOf}::date
      ) m cross join lateral (values (m.charge_id), (m.source_id)) k(id)
      group by k.id
    )`
}

type Which = 'documents' | 'payments'
const tableOf = (side: Side, which: Which) => (which === 'documents' ? side.documents.table : side.payments.table)
const aliasOf = (which: Which) => raw(which === 'documents' ? 'd' : 'r')
const liveOf = (side: Side, which: Which) => (which === 'documents' ? sql`d.status in ${statusIn(side.documents.posted)}` : sql`r.status = 'active'`)

/**
 * The rows of a documents or payments table open by their stored amount (`is_open`, through the
 * partial index of migration 0036) that count on `asOf`, as two UNION ALL branches: dated on or
 * before it and posted (a document) or active (a payment); or void with their void entry dated
 * after it. `cols` over the alias `d` (documents) or `r` (payments); `where` narrows both.
 */
function storedOpenRows(side: Side, which: Which, cols: SQL, where: SQL, asOf: string): SQL {
  const t = aliasOf(which)
  return sql`
      select ${cols} from ${raw(tableOf(side, which))} ${t}
       where ${t}.is_open and ${liveOf(side, which)} and ${t}.date <= ${asOf}::date ${where}
      union all
      select ${cols} from ${raw(tableOf(side, which))} ${t} join journal_entries v on v.tenant_id = ${t}.tenant_id and v.id = ${t}.void_entry_id
       where ${t}.is_open and ${t}.status = 'void' and ${t}.date <= ${asOf}::date and v.date > ${asOf}::date ${where}`
}

/**
 * The rows `corrections` names that count on `asOf` (the same rule as `storedOpenRows`), looked up
 * by id: few, so the void entry is a left join. `where` narrows them.
 */
function correctedRows(side: Side, which: Which, cols: SQL, where: SQL, asOf: string): SQL {
  const t = aliasOf(which)
  return sql`
      select ${cols} from corrections k join ${raw(tableOf(side, which))} ${t} on ${t}.id = k.id
        left join journal_entries v on v.tenant_id = ${t}.tenant_id and v.id = ${t}.void_entry_id
       where ${t}.date <= ${asOf}::date and (${liveOf(side, which)} or (${t}.status = 'void' and v.date > ${asOf}::date)) ${where}`
}

/** `sign` (+1 a charge, −1 a credit: SQL over `d`) of the side's documents; payments are −1. */
const signOf = (side: Side, which: Which) => (which === 'documents' ? sql`case when ${raw(side.documents.charge)} then 1 else -1 end` : sql`-1`)
/** The stored open amount (SQL over `d` or `r`). */
const storedOpenOf = (which: Which) => (which === 'documents' ? sql`d.total - d.amount_allocated` : sql`r.amount - r.amount_allocated`)
/** A row's base for an open amount `open` (SQL): unchanged at rate 1, else at its rate rounded to `places`. */
const baseOf = (which: Which, open: SQL, places: number) => sql`case when ${aliasOf(which)}.exchange_rate = 1 then ${open} else round((${open}) * ${aliasOf(which)}.exchange_rate, ${places}) end`

/**
 * The open items on `asOf` for the drill-down: one row per document or payment with something
 * open — its party, `due` (a charge's due date or, without one, its date; a credit's date), `base`
 * signed (+ a charge, − a credit), and what the drill-down shows.
 *
 * **Open rows only.** A row is open on `asOf` by its stored open amount (`is_open`, migration
 * 0036: a stored generated column, `total`/`amount` ≠ `amount_allocated`, with a partial index)
 * or through a correction. So the rows read are the stored-open ones (through the index) and those
 * with a stored open amount of zero that a correction moves (looked up by id from `corrections`);
 * a paid document without a correction on `asOf` is never read. These are the rows of reading
 * every document and keeping `open + correction ≠ 0`: a row outside both has nothing open.
 */
function openItems(side: Side, asOf: string, places: number, partyId: string) {
  const d = side.documents
  const party = raw(side.party.column)
  const cols = (which: Which) => which === 'documents'
    ? sql`d.id, d.${party} as party_id, ${signOf(side, which)} as sign, coalesce(d.due_date, d.date) as due, d.exchange_rate, ${storedOpenOf(which)} as open, ${raw(d.kind)} as kind, d.number, d.date, d.due_date, d.currency`
    : sql`r.id, r.${party}, -1, r.date, r.exchange_rate, ${storedOpenOf(which)}, ${raw(`'${side.payments.kind}'`)}, r.number, r.date, null::date, r.currency`
  const branches: SQL[] = [
    storedOpenRows(side, 'documents', cols('documents'), sql`and d.${party} = ${partyId}::uuid`, asOf),
    storedOpenRows(side, 'payments', cols('payments'), sql`and r.${party} = ${partyId}::uuid`, asOf),
    correctedRows(side, 'documents', cols('documents'), sql`and not d.is_open`, asOf),
    correctedRows(side, 'payments', cols('payments'), sql`and not r.is_open`, asOf),
  ]
  return sql`
    with ${allocationCorrections(side, asOf, undefined, partyId)},
    raw as (
      ${sql.join(branches, sql` union all `)}
    ),
    items as (
      select raw.*, raw.sign * (raw.open + coalesce(c.delta, 0)) as open_signed, ${asOf}::date - raw.due as days,
             raw.sign * case when raw.exchange_rate = 1 then raw.open + coalesce(c.delta, 0) else round((raw.open + coalesce(c.delta, 0)) * raw.exchange_rate, ${places}) end as base
        from raw left join corrections c on c.id = raw.id
       where raw.open + coalesce(c.delta, 0) <> 0
    )`
}

const BUCKET_OF = sql`case when days <= 0 then 'current' when days <= 30 then 'days1to30' when days <= 60 then 'days31to60' when days <= 90 then 'days61to90' else 'over90' end`

/**
 * Every document and payment open by its stored amount on `asOf` (`storedOpenRows`), whatever its
 * currency, into its party's bucket (a charge by its due date or date, a credit by its date) with
 * the base of its stored open amount, signed. At rate 1 that is one numeric subtraction a row.
 */
function storedOpenItems(side: Side, asOf: string, places: number, partyId?: string) {
  const party = raw(side.party.column)
  const charge = raw(side.documents.charge)
  const documents = sql`d.${party} as party_id, coalesce(d.due_date, d.date) as due,
             case when d.exchange_rate <> 1 then ${signOf(side, 'documents')} * round((d.total - d.amount_allocated) * d.exchange_rate, ${places})
                  when ${charge} then d.total - d.amount_allocated else d.amount_allocated - d.total end as base`
  const payments = sql`r.${party}, r.date,
             case when r.exchange_rate = 1 then r.amount_allocated - r.amount else -round((r.amount - r.amount_allocated) * r.exchange_rate, ${places}) end`
  return sql`${storedOpenRows(side, 'documents', documents, partyId ? sql`and d.${party} = ${partyId}::uuid` : sql``, asOf)}
      union all ${storedOpenRows(side, 'payments', payments, partyId ? sql`and r.${party} = ${partyId}::uuid` : sql``, asOf)}`
}

/**
 * Foreign-currency corrections per document: a foreign document's base is its open amount on
 * `asOf` at its rate, rounded once, so each document an allocation in its currency moves (the
 * `corrections` of the foreign scope, by id) gets its base on `asOf` less the base of its stored
 * open amount that `storedOpenItems` already put into the same bucket (none when that is zero).
 */
function foreignCorrections(side: Side, asOf: string, places: number) {
  const party = raw(side.party.column)
  const adjust = (which: Which) => {
    const open = storedOpenOf(which)
    const corrected = sql`${open} + k.delta`
    return sql`${signOf(side, which)} * (case when ${corrected} <> 0 then ${baseOf(which, corrected, places)} else 0 end
             - case when ${open} <> 0 then ${baseOf(which, open, places)} else 0 end)`
  }
  return sql`${correctedRows(side, 'documents', sql`d.${party} as party_id, coalesce(d.due_date, d.date) as due, ${adjust('documents')} as base`, sql``, asOf)}
      union all ${correctedRows(side, 'payments', sql`r.${party}, r.date, ${adjust('payments')}`, sql``, asOf)}`
}

/**
 * Base-currency corrections straight into their buckets: each allocation that counts differently on
 * `asOf` than `amount_allocated` says moves its charge (by the charge's due date) and its payment
 * or credit (by its date), each only when that document itself counts on `asOf` — the dates
 * stored with the allocation (migration 0026), so an index range of the allocations gives them
 * all (one pass, a lateral pair per allocation). Signed as the open items are: a charge +, a
 * credit −. None on a side without allocations.
 */
function baseCorrections(side: Side, asOf: string, base: string, partyId?: string) {
  const a = side.allocations
  const t = raw(a.table)
  const party = raw(`a.${side.party.column}`)
  const partyOf = partyId ? sql`and ${party} = ${partyId}::uuid` : sql``
  return sql`
      select ${party} as party_id, x.due, x.base
        from ${t} a
        cross join lateral (values (a.${raw(a.chargeDue)}, a.amount, a.${raw(a.chargeDate)} <= ${asOf}::date), (a.source_date, -a.amount, a.source_date <= ${asOf}::date)) x(due, base, counts)
       where a.released_at is null and a.currency = ${base} and a.date > ${asOf}::date and x.counts ${partyOf}
      union all
      select ${party}, x.due, x.base
        from ${t} a
        join ${raw(side.payments.table)} r on r.tenant_id = a.tenant_id and r.id = a.${raw(a.payment)}
        left join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
        join ${raw(side.documents.table)} i on i.tenant_id = a.tenant_id and i.id = a.${raw(a.charge)}
        left join journal_entries iv on iv.tenant_id = i.tenant_id and iv.id = i.void_entry_id
        cross join lateral (values (a.${raw(a.chargeDue)}, -a.amount, i.status <> 'void' or iv.date > ${asOf}::date), (a.source_date, a.amount, true)) x(due, base, counts)
       where a.released_at is not null and a.date <= ${asOf}::date and a.currency = ${base} and x.counts
         and coalesce(v.date, (a.released_at at time zone 'UTC')::date) > ${asOf}::date ${partyOf}`
}

/**
 * The aging's one query: what is open on `asOf`, summed per party and bucket in PostgreSQL, from
 * three parts that read only open rows and the allocations after `asOf` (or released after it):
 * every document and payment open by its stored amount with that amount's base
 * (`storedOpenItems`); base-currency corrections straight into their buckets (`baseCorrections`:
 * a base-currency document's base is its open amount); foreign-currency corrections per document
 * (`foreignCorrections`: the difference its corrections make to its rounded base). The sums equal
 * the per-document ones (the drill-down computes those, and the tests compare the two); a document
 * paid by its stored amount and not moved by a correction on `asOf` is never read. A party whose
 * every bucket is zero on `asOf` is left out.
 */
function agingQuery(side: Side, asOf: string, places: number, base: string, partyId?: string) {
  return sql`
    with ${allocationCorrections(side, asOf, base, partyId)},
    all_items as (
      ${storedOpenItems(side, asOf, places, partyId)}
      union all ${foreignCorrections(side, asOf, places)}
      union all ${baseCorrections(side, asOf, base, partyId)}
    ),
    -- bucket 0 current, 1 for 1–30 days past due … 4 over 90
    per_bucket as (
      select party_id, least(4, greatest(0, (${asOf}::date - due + 29) / 30)) as bucket, sum(base) as base from all_items group by 1, 2
    ),
    per_party as (
      select party_id,
             coalesce(sum(base) filter (where bucket = 0), 0) as current,
             coalesce(sum(base) filter (where bucket = 1), 0) as days1to30,
             coalesce(sum(base) filter (where bucket = 2), 0) as days31to60,
             coalesce(sum(base) filter (where bucket = 3), 0) as days61to90,
             coalesce(sum(base) filter (where bucket = 4), 0) as over90,
             sum(base) as total
        from per_bucket group by party_id
       having bool_or(base <> 0)
    )
    select p.party_id, c.name, ${sql.join(['current', 'days1to30', 'days31to60', 'days61to90', 'over90', 'total'].map(k => raw(
      `round(p.${k}, ${places})::text as ${k}, round(sum(p.${k}) over (), ${places})::text as all_${k}`)), sql`, `)}
      from per_party p join ${raw(side.party.name)} c on c.id = p.party_id
     order by c.name, c.id`
}

/** The aged receivables or payables on `asOf`; with `partyId` that party's row and open documents. */
async function aging<S extends Side>(tx: Tx, side: S, asOf: string, partyId?: string): Promise<Aging<S['idField']>> {
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  if (partyId) await partyOrNotFound(tx, side, partyId)
  // Figures and totals come summed and rounded to the currency's places by PostgreSQL (exact numeric).
  const rows = await tx.execute<{ party_id: string, name: string } & Record<AgingBucket | 'total' | `all_${AgingBucket | 'total'}`, string>>(agingQuery(side, asOf, places, currency, partyId))
  const zero = format(new Dec(0), places)
  const first = rows[0]
  const result = {
    asOf, currency,
    rows: rows.map(r => ({ [side.idField]: r.party_id, name: r.name, current: r.current, days1to30: r.days1to30, days31to60: r.days31to60, days61to90: r.days61to90, over90: r.over90, total: r.total }) as unknown as AgingRow<S['idField']>),
    totals: {
      current: first?.all_current ?? zero, days1to30: first?.all_days1to30 ?? zero, days31to60: first?.all_days31to60 ?? zero,
      days61to90: first?.all_days61to90 ?? zero, over90: first?.all_over90 ?? zero, total: first?.all_total ?? zero,
    },
  } as Aging<S['idField']>
  if (!partyId) return result
  const fix = (v: string) => format(new Dec(v), places)
  const docs = await tx.execute<{ id: string, kind: AgingDocument['kind'], number: string, date: string, due_date: string | null, days: number, bucket: AgingBucket, open: string, currency: string, base: string }>(sql`
    ${openItems(side, asOf, places, partyId)}
    select id, kind, number, date::text, due_date::text, days, ${BUCKET_OF} as bucket, open_signed::text as open, currency, base::text
      from items order by due, date, number, id`)
  return {
    asOf, currency, [side.idField]: partyId, rows: result.rows, totals: result.totals,
    documents: docs.map(d => ({
      id: d.id, kind: d.kind, number: d.number, date: d.date, dueDate: d.due_date, daysPastDue: Number(d.days), bucket: d.bucket,
      openAmount: format(new Dec(d.open), minorUnit(d.currency)), currency: d.currency, openBase: fix(d.base),
    })),
  } as Aging<S['idField']>
}

export const arAging = (tx: Tx, query: { asOf: string, customerId?: string }): Promise<ArAging> => aging(tx, AR_SIDE, query.asOf, query.customerId)
export const apAging = (tx: Tx, query: { asOf: string, vendorId?: string }): Promise<ApAging> => aging(tx, AP_SIDE, query.asOf, query.vendorId)

/** The party (customer, vendor) or 404: another tenant's is invisible through row-level security. */
async function partyOrNotFound(tx: Tx, side: Side, id: string) {
  const t = side.party.table
  const [row] = await tx.select({ id: t.id, name: t.name, code: t.code, email: t.email }).from(t).where(eq(t.id, id))
  if (!row) throw new NotFoundError(side.party.entity)
  return row
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface StatementRow {
  date: string
  type: StatementRowType
  /** The document or payment (an FX difference: the allocation's charge). */
  id: string
  number: string
  reference: string | null
  charges: string
  payments: string
  balance: string
}
export interface Party { id: string, name: string, code: string | null, email: string | null }
export interface StatementFigures {
  currency: string
  from: string
  to: string
  openingBalance: string
  rows: StatementRow[]
  closingBalance: string
}
export type Statement<P extends string> = StatementFigures & Record<P, Party>
export type CustomerStatement = Statement<'customer'>
export type VendorStatement = Statement<'vendor'>

/**
 * What moved the party's balance on the control account, in base, each movement as its posting put
 * it there: a document or payment at its posted base (amount × rate, rounded), its void at its void
 * date, each allocation's realised FX difference (base of the payment or credit − base of the charge
 * it settles: a charge when the payment was worth more — on either side, since AR and AP mirror
 * each other) on its date, and that difference's reversal when a payment's void released the
 * allocation. So the closing balance is the party's balance carried on the control account.
 */
function statementMoves(side: Side, partyId: string, places: number) {
  const d = side.documents
  const party = raw(side.party.column)
  const sign = raw(`case when ${d.charge} then 1 else -1 end`)
  const docs = raw(d.table)
  const p = side.payments
  const a = side.allocations
  const payments = raw(p.table)
  const moves: SQL[] = [
    sql`select d.date, ${raw(d.kind)} as type, d.id, d.number, ${raw(d.reference)} as reference, ${sign} * round(d.total * d.exchange_rate, ${places}) as amount, 1 as ord
        from ${docs} d where d.${party} = ${partyId}::uuid and d.status in ${statusIn([...d.posted, 'void'])}`,
    sql`select v.date, ${raw(d.kind)} || '_void', d.id, d.number, ${raw(d.reference)}, -${sign} * round(d.total * d.exchange_rate, ${places}), 4
        from ${docs} d join journal_entries v on v.tenant_id = d.tenant_id and v.id = d.void_entry_id
       where d.${party} = ${partyId}::uuid and d.status = 'void'`,
    sql`select r.date, ${p.kind}::text, r.id, r.number, r.reference, -round(r.amount * r.exchange_rate, ${places}), 2
      from ${payments} r where r.${party} = ${partyId}::uuid`,
    sql`select v.date, ${`${p.kind}_void`}::text, r.id, r.number, r.reference, round(r.amount * r.exchange_rate, ${places}), 5
      from ${payments} r join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
     where r.${party} = ${partyId}::uuid and r.status = 'void'`,
    sql`select a.date, 'fx_difference', a.${raw(a.charge)}, i.number, coalesce(r.number, cn.number), a.base_amount_source - a.${raw(a.chargeBase)}, 3
      from ${raw(a.table)} a
      join ${docs} i on i.tenant_id = a.tenant_id and i.id = a.${raw(a.charge)}
      left join ${payments} r on r.tenant_id = a.tenant_id and r.id = a.${raw(a.payment)}
      left join ${docs} cn on cn.tenant_id = a.tenant_id and cn.id = a.${raw(a.credit)}
     where a.${party} = ${partyId}::uuid and a.base_amount_source <> a.${raw(a.chargeBase)}`,
    sql`select v.date, 'fx_difference_void', a.${raw(a.charge)}, i.number, r.number, a.${raw(a.chargeBase)} - a.base_amount_source, 6
      from ${raw(a.table)} a
      join ${docs} i on i.tenant_id = a.tenant_id and i.id = a.${raw(a.charge)}
      join ${payments} r on r.tenant_id = a.tenant_id and r.id = a.${raw(a.payment)}
      join journal_entries v on v.tenant_id = r.tenant_id and v.id = r.void_entry_id
     where a.${party} = ${partyId}::uuid and a.released_at is not null and a.base_amount_source <> a.${raw(a.chargeBase)}`,
  ]
  return sql`moves as (${sql.join(moves, sql` union all `)})`
}

async function statement<S extends Side>(tx: Tx, side: S, partyId: string, range: { from: string, to: string }): Promise<Statement<S['partyField']>> {
  const { from, to } = range
  checkRange(from, to)
  const party = await partyOrNotFound(tx, side, partyId)
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const moves = statementMoves(side, partyId, places)
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
    [side.partyField]: { id: party.id, name: party.name, code: party.code, email: party.email },
    currency, from, to, openingBalance, rows: out, closingBalance: format(balance, places),
  } as unknown as Statement<S['partyField']>
}

export const customerStatement = (tx: Tx, customerId: string, range: { from: string, to: string }): Promise<CustomerStatement> => statement(tx, AR_SIDE, customerId, range)
export const vendorStatement = (tx: Tx, vendorId: string, range: { from: string, to: string }): Promise<VendorStatement> => statement(tx, AP_SIDE, vendorId, range)

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
 * One side's documents counted in the range with their sign: posted ones dated in it (a credit
 * negative), and a void's reversal in the period of its void date.
 */
function taxDocuments(side: Side, label: 'sales' | 'purchases', from: string, to: string) {
  const d = side.documents
  const sign = raw(`case when ${d.charge} then 1 else -1 end`)
  return sql`
      select ${label}::text as side, d.id, d.exchange_rate, ${sign} as sign
        from ${raw(d.table)} d
       where d.status in ${statusIn([...d.posted, 'void'])} and d.date between ${from}::date and ${to}::date
      union all
      select ${label}::text, d.id, d.exchange_rate, -${sign}
        from ${raw(d.table)} d join journal_entries v on v.tenant_id = d.tenant_id and v.id = d.void_entry_id
       where d.status = 'void' and v.date between ${from}::date and ${to}::date`
}

/** One side's taxes per document, line and rate: each line's net once, its components' tax summed. */
function taxLines(side: Side, label: 'sales' | 'purchases') {
  const t = side.documents.taxes
  return sql`
      select ${label}::text as side, t.${raw(t.document)} as id, t.line_no, t.tax_rate_id, max(t.net) as net, sum(t.tax) as tax
        from ${raw(t.table)} t where t.${raw(t.document)} in (select id from docs where side = ${label})
       group by t.${raw(t.document)}, t.line_no, t.tax_rate_id`
}

/**
 * Tax per tax rate (a group is one row: each line's net once, its components' tax summed) on the
 * sales documents issued and the bills posted in the range, in base: per document and rate, net and
 * tax × the document's rate, rounded half-up to the base minor unit. A credit counts negative; a
 * void reverses the document in the period of its void date (a document posted and voided in the
 * range nets to zero there). `net` = sales tax − purchase tax (negative: a refund due).
 */
export async function taxSummary(tx: Tx, range: { from: string, to: string }): Promise<TaxSummary> {
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const { from, to } = range
  checkRange(from, to)
  const rows = await tx.execute<{ tax_rate_id: string, code: string, name: string, rate: string, sales_net: string, sales_tax: string, purchases_net: string, purchases_tax: string }>(sql`
    with docs as (${taxDocuments(AR_SIDE, 'sales', from, to)} union all ${taxDocuments(AP_SIDE, 'purchases', from, to)}),
    per_line as (${taxLines(AR_SIDE, 'sales')} union all ${taxLines(AP_SIDE, 'purchases')}),
    per_document as (
      select l.side, l.tax_rate_id, d.sign * round(sum(l.net) * d.exchange_rate, ${places}) as net, d.sign * round(sum(l.tax) * d.exchange_rate, ${places}) as tax
        from per_line l join docs d on d.side = l.side and d.id = l.id
       group by l.side, d.id, d.sign, d.exchange_rate, l.tax_rate_id
    )
    select p.tax_rate_id, r.code, r.name, r.rate::text,
           ${sql.join(['sales', 'purchases'].flatMap(s => ['net', 'tax'].map(f => raw(`coalesce(sum(p.${f}) filter (where p.side = '${s}'), 0)::text as ${s}_${f}`))), sql`, `)}
      from per_document p join tax_rates r on r.id = p.tax_rate_id
     group by p.tax_rate_id, r.code, r.name, r.rate
     order by r.code, p.tax_rate_id`)
  const sum = { salesNet: new Dec(0), salesTax: new Dec(0), purchasesNet: new Dec(0), purchasesTax: new Dec(0) }
  const out = rows.map((r) => {
    const figures = { salesNet: r.sales_net, salesTax: r.sales_tax, purchasesNet: r.purchases_net, purchasesTax: r.purchases_tax }
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] = sum[k].plus(figures[k])
    return {
      taxRateId: r.tax_rate_id, code: r.code, name: r.name, rate: new Dec(r.rate).toString(),
      salesNet: format(new Dec(r.sales_net), places), salesTax: format(new Dec(r.sales_tax), places),
      purchasesNet: format(new Dec(r.purchases_net), places), purchasesTax: format(new Dec(r.purchases_tax), places),
    }
  })
  return {
    from, to, currency, rows: out,
    totals: {
      salesNet: format(sum.salesNet, places), salesTax: format(sum.salesTax, places),
      purchasesNet: format(sum.purchasesNet, places), purchasesTax: format(sum.purchasesTax, places),
      net: format(sum.salesTax.minus(sum.purchasesTax), places),
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Dashboard

export interface AgingSummary extends AgingFigures { overdue: string, currency: string }

/** The dashboard's receivables or payables: the aging totals on `asOf` and what is overdue (every bucket but current). */
async function agingSummary(tx: Tx, side: Side, asOf: string): Promise<AgingSummary> {
  const { totals, currency } = await aging(tx, side, asOf)
  const places = minorUnit(currency)
  const overdue = new Dec(totals.days1to30).plus(totals.days31to60).plus(totals.days61to90).plus(totals.over90)
  return { ...totals, overdue: format(overdue, places), currency }
}

export const receivablesSummary = (tx: Tx, asOf: string) => agingSummary(tx, AR_SIDE, asOf)
export const payablesSummary = (tx: Tx, asOf: string) => agingSummary(tx, AP_SIDE, asOf)
