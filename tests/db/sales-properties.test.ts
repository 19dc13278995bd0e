/**
 * Property test of the AR subledger (SPEC §6 module 5: "Σ open invoice amounts − unallocated credits
 * (in base) = the AR control balance … a test holds this after every kind of document") with
 * fast-check: each run sends a burst of 6–10 requests at once through the real API, spread over
 * several signed-in AR clerks (so over several connections) — invoices and credit notes issued in
 * USD (base) or EUR at a random rate, receipts in either with allocations in the body, later
 * allocations of receipts and credit notes, receipt voids — aimed at the same few invoices so they
 * race. Refusals (an over-allocation lost to a concurrent one, a paid invoice) are expected answers;
 * a 5xx is not. After every run, plain SQL on the tenant's rows checks that
 *   - the AR control account's posted balance = Σ over issued invoices of what each carries in base
 *     − Σ over issued credit notes and active receipts of their unallocated credit in base, where a
 *     document carries its posted base (amount × its rate, rounded) less the base its allocations
 *     took off it (server/domain/sales/allocations.ts); in base currency that is exactly
 *     (total − allocated) and (amount − allocated);
 *   - a settled document carries exactly 0, and any document carries its open amount × rate to
 *     within a cent per allocation;
 *   - the customers' balances (the API) add up to the AR control balance;
 *   - the trial balance balances (and per entry);
 *   - invoice, credit-note and receipt numbers are gapless 1..n per counter;
 *   - no invoice, credit note or receipt is over-allocated, and amount_allocated and the invoice's
 *     status agree with its allocations that count.
 * SALES_PROPERTY_RUNS sets the number of runs (default 200, about a minute and a half here).
 * Amounts are built from integer cents into decimal strings, never from floats.
 */
import fc from 'fast-check'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type client, type TestTenant } from '../support/api'
import { unbalancedPostedEntries } from '../support/ledger-checks'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

/** Generated runs (SALES_PROPERTY_RUNS, default 200). */
const NUM_RUNS = Number(process.env.SALES_PROPERTY_RUNS ?? 200)
/** A decimal string with two places as a whole number of cents. */
const toCents = (v: string) => (v.startsWith('-') ? -1n : 1n) * BigInt(v.replace(/^-/, '').replace('.', ''))
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
const DAYS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']

type Json = Record<string, any>
type Op
  = | { op: 'invoice', customer: number, eur: number | null, cents: number, day: number }
    | { op: 'credit', customer: number, eur: number | null, cents: number, day: number }
    | { op: 'receipt', customer: number, eur: number | null, cents: number, day: number, pays: { pick: number, cents: number }[] }
    | { op: 'allocate', from: 'receipt' | 'credit', pick: number, target: number, cents: number, full: boolean }
    | { op: 'void', pick: number }

const rateArb = fc.option(fc.integer({ min: 8_000, max: 16_000 }), { freq: 2 }) // EUR at 0.8000–1.6000, else USD
const docArb = <K extends 'invoice' | 'credit'>(op: K) => fc.record({
  op: fc.constant(op), customer: fc.integer({ min: 0, max: 2 }), eur: rateArb, cents: fc.integer({ min: 1, max: 50_000 }), day: fc.integer({ min: 0, max: DAYS.length - 1 }),
})
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: docArb('invoice') },
  { weight: 1, arbitrary: docArb('credit') },
  {
    weight: 4, arbitrary: fc.record({
      op: fc.constant('receipt' as const), customer: fc.integer({ min: 0, max: 2 }), eur: rateArb, cents: fc.integer({ min: 1, max: 60_000 }), day: fc.integer({ min: 0, max: DAYS.length - 1 }),
      pays: fc.array(fc.record({ pick: fc.nat(), cents: fc.integer({ min: 1, max: 30_000 }) }), { maxLength: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('allocate' as const), from: fc.constantFrom('receipt' as const, 'credit' as const), pick: fc.nat(), target: fc.nat(), cents: fc.integer({ min: 1, max: 30_000 }), full: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick: fc.nat() }) },
) as fc.Arbitrary<Op>

let t: TestTenant
let clerks: ReturnType<typeof client>[] = []
let turn = 0
const clerk = () => clerks[turn++ % clerks.length]!
let acc: Record<string, string> = {}
const customers: string[] = []
/** What exists so far, by kind (ids with their customer and currency), for later ops to aim at. */
const known = { invoice: [] as Json[], credit: [] as Json[], receipt: [] as Json[] }
const tally: Record<string, number> = {}
const count = (k: string) => {
  tally[k] = (tally[k] ?? 0) + 1
}

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
  acc = Object.fromEntries(((await t.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id]))
  for (const name of ['Alpha', 'Beta', 'Gamma']) customers.push((await t.asOwner.post('/api/v1/customers', { json: { name } })).body.id)
  clerks = (await Promise.all(Array.from({ length: 8 }, () => addMember(t, ['ar_clerk'])))).map(m => m.client)
})

const rateOf = (eur: number | null) => (eur === null ? {} : { currency: 'EUR', exchangeRate: `${Math.floor(eur / 10_000)}.${String(eur % 10_000).padStart(4, '0')}` })
const sameParty = (list: Json[], like: Json) => list.filter(x => x.customerId === like.customerId && x.currency === like.currency)
const ALLOWED_REFUSALS = new Set(['ALLOCATION_EXCEEDS_DUE', 'ALLOCATION_EXCEEDS_AVAILABLE', 'ALLOCATION_INVOICE_NOT_OPEN', 'ALLOCATION_SOURCE_NOT_OPEN', 'ALLOCATION_INVALID', 'RECEIPT_NOT_ACTIVE'])

async function run(o: Op): Promise<void> {
  const c = clerk()
  let res
  if (o.op === 'invoice' || o.op === 'credit') {
    res = await c.post(o.op === 'invoice' ? '/api/v1/invoices' : '/api/v1/credit-notes', { json: {
      customerId: customers[o.customer], date: DAYS[o.day], amountsAre: 'exclusive', issue: true, ...rateOf(o.eur),
      lines: [{ description: 'Generated', quantity: '1', unitPrice: cents(o.cents), accountId: acc['4000'], taxRateId: null }],
    } })
    expect(res.status, res.text).toBe(201)
    known[o.op].push(res.body)
  }
  else if (o.op === 'receipt') {
    const like = { customerId: customers[o.customer], currency: o.eur === null ? 'USD' : 'EUR' }
    const targets = sameParty(known.invoice, like)
    const pays = targets.length ? [...new Map(o.pays.map(p => [targets[p.pick % targets.length]!.id, p.cents])).entries()] : []
    res = await c.post('/api/v1/receipts', { json: {
      customerId: like.customerId, date: DAYS[o.day], amount: cents(o.cents), depositAccountId: acc['1010'], ...rateOf(o.eur),
      allocations: pays.map(([invoiceId, n]) => ({ invoiceId, amount: cents(n) })),
    } })
    if (res.status === 201) known.receipt.push(res.body)
  }
  else if (o.op === 'allocate') {
    const sources = known[o.from]
    if (!sources.length) return
    const source = sources[o.pick % sources.length]!
    const targets = sameParty(known.invoice, source)
    if (!targets.length) return
    const target = targets[o.target % targets.length]!
    let amount = cents(o.cents)
    if (o.full) {
      // all that is left on the smaller side as read now (a concurrent allocation may still take it first)
      const [left] = await sql<{ v: string }[]>`select least(
          (select total - amount_allocated from sales_documents where id = ${target.id}),
          coalesce((select amount - amount_allocated from receipts where id = ${source.id}), (select total - amount_allocated from sales_documents where id = ${source.id}))
        )::numeric(20,2)::text as v`
      if (!left || !/[1-9]/.test(left.v) || left.v.startsWith('-')) return
      amount = left.v
    }
    res = await c.post(`/api/v1/${o.from === 'receipt' ? 'receipts' : 'credit-notes'}/${source.id}/allocations`, { json: { invoiceId: target.id, amount } })
  }
  else {
    if (!known.receipt.length) return
    res = await c.post(`/api/v1/receipts/${known.receipt[o.pick % known.receipt.length]!.id}/void`, { json: {} })
  }
  count(`${o.op} ${res.status}`)
  if (res.status >= 300) {
    // a receipt voided twice is 409; every other expected refusal is a 422
    expect(res.status, res.text).toBe(res.body?.data?.code === 'RECEIPT_NOT_ACTIVE' ? 409 : 422)
    expect(ALLOWED_REFUSALS.has(res.body.data.code), res.text).toBe(true)
  }
}

/** Rows that break an invariant; each must come back empty (or null). */
async function violations(db: postgres.Sql | postgres.ReservedSql = sql) {
  const tid = t.id
  const ar = acc['1100']!
  const [tie] = await db<{ ar: string, docs: string }[]>`
    with carried as (
      select case d.kind when 'invoice' then 1 else -1 end
             * (round(d.total * d.exchange_rate, 2) - coalesce((select sum(case d.kind when 'invoice' then a.base_amount_invoice else a.base_amount_source end)
                  from sales_allocations a where a.tenant_id = d.tenant_id and a.released_at is null and (a.invoice_id = d.id or a.credit_note_id = d.id)), 0)) as v
        from sales_documents d where d.tenant_id = ${tid} and d.status in ('issued', 'partially_paid', 'paid')
      union all
      select -(round(r.amount * r.exchange_rate, 2) - coalesce((select sum(a.base_amount_source) from sales_allocations a where a.tenant_id = r.tenant_id and a.receipt_id = r.id and a.released_at is null), 0))
        from receipts r where r.tenant_id = ${tid} and r.status = 'active'
    )
    select (select coalesce(sum(l.base_debit - l.base_credit), 0) from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
             where l.tenant_id = ${tid} and l.account_id = ${ar} and e.status = 'posted')::numeric(20,2)::text as ar,
           (select coalesce(sum(v), 0) from carried)::numeric(20,2)::text as docs`
  const arMismatch = tie!.ar === tie!.docs ? null : tie
  // Per document: settled → carries 0; otherwise within a cent per allocation of open × rate.
  const carriedWrong = await db`
    with docs as (
      select d.id, d.kind, d.total as amount, d.amount_allocated, d.exchange_rate,
             round(d.total * d.exchange_rate, 2) - coalesce((select sum(case d.kind when 'invoice' then a.base_amount_invoice else a.base_amount_source end)
               from sales_allocations a where a.tenant_id = d.tenant_id and a.released_at is null and (a.invoice_id = d.id or a.credit_note_id = d.id)), 0) as carried,
             (select count(*) from sales_allocations a where a.tenant_id = d.tenant_id and a.released_at is null and (a.invoice_id = d.id or a.credit_note_id = d.id)) as n
        from sales_documents d where d.tenant_id = ${tid} and d.status in ('issued', 'partially_paid', 'paid')
      union all
      select r.id, 'receipt', r.amount, r.amount_allocated, r.exchange_rate,
             round(r.amount * r.exchange_rate, 2) - coalesce((select sum(a.base_amount_source) from sales_allocations a where a.tenant_id = r.tenant_id and a.receipt_id = r.id and a.released_at is null), 0),
             (select count(*) from sales_allocations a where a.tenant_id = r.tenant_id and a.receipt_id = r.id and a.released_at is null)
        from receipts r where r.tenant_id = ${tid} and r.status = 'active'
    )
    select * from docs
     where carried < 0
        or (amount_allocated = amount and carried <> 0)
        or abs(carried - round((amount - amount_allocated) * exchange_rate, 2)) > 0.01 * (n + 1)`
  const overAllocated = await db`
    select d.id, d.kind, d.status, d.total, d.amount_allocated, coalesce(s.sum, 0) as from_allocations
      from sales_documents d
      left join lateral (select sum(a.amount) as sum from sales_allocations a where a.tenant_id = d.tenant_id and a.released_at is null and (a.invoice_id = d.id or a.credit_note_id = d.id)) s on true
     where d.tenant_id = ${tid}
       and (d.amount_allocated > d.total or d.amount_allocated <> coalesce(s.sum, 0)
            or (d.kind = 'invoice' and d.status <> 'void' and d.status <> 'draft'
                and d.status <> (case when d.amount_allocated = 0 then 'issued' when d.amount_allocated = d.total then 'paid' else 'partially_paid' end)))
    union all
    select r.id, 'receipt', r.status, r.amount, r.amount_allocated, coalesce((select sum(a.amount) from sales_allocations a where a.tenant_id = r.tenant_id and a.receipt_id = r.id and a.released_at is null), 0)
      from receipts r where r.tenant_id = ${tid}
       and (r.amount_allocated > r.amount or r.amount_allocated <> coalesce((select sum(a.amount) from sales_allocations a where a.tenant_id = r.tenant_id and a.receipt_id = r.id and a.released_at is null), 0))`
  const [trial] = await db<{ d: string, c: string }[]>`
    select coalesce(sum(l.base_debit), 0)::text as d, coalesce(sum(l.base_credit), 0)::text as c
      from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
     where l.tenant_id = ${tid} and e.status = 'posted'`
  const unbalanced = await unbalancedPostedEntries(db as postgres.Sql, tid)
  const numbering = await db`
    with numbered as (
      select kind, substring(number from '^[A-Z]+-') as prefix, substring(number from '[0-9]+$')::int as n from sales_documents where tenant_id = ${tid} and number is not null
      union all
      select 'receipt', substring(number from '^[A-Z]+-'), substring(number from '[0-9]+$')::int from receipts where tenant_id = ${tid}
    )
    select c.kind, c.prefix, c.next_number, count(x.n)::int as issued, min(x.n) as lo, max(x.n) as hi, count(distinct x.n)::int as distinct_n
      from document_counters c left join numbered x on x.kind = c.kind and x.prefix = c.prefix
     where c.tenant_id = ${tid}
     group by c.kind, c.prefix, c.next_number
    having count(x.n) <> c.next_number - 1 or (count(x.n) > 0 and (min(x.n) <> 1 or max(x.n) <> count(x.n) or count(distinct x.n) <> count(x.n)))`
  return { arMismatch, carriedWrong, overAllocated, trialDifference: trial!.d === trial!.c ? null : trial, unbalanced, numbering }
}
const clean = { arMismatch: null, carriedWrong: [], overAllocated: [], trialDifference: null, unbalanced: [], numbering: [] }

describe('AR subledger properties under concurrent documents, receipts and allocations', () => {
  it('the checks see a broken subledger (control: an allocation count changed behind the triggers, rolled back)', async () => {
    const inv = await t.asOwner.post('/api/v1/invoices', { json: { customerId: customers[0], date: DAYS[0], amountsAre: 'exclusive', issue: true, lines: [{ description: 'Seed', quantity: '1', unitPrice: '10.00', accountId: acc['4000'], taxRateId: null }] } })
    expect(inv.status, inv.text).toBe(201)
    known.invoice.push(inv.body)
    expect(await violations()).toEqual(clean)
    const db = await sql.reserve()
    try {
      await db`begin`
      await db`set local session_replication_role = replica`
      await db`update sales_documents set amount_allocated = 4, status = 'paid' where id = ${inv.body.id}`
      await db`update document_counters set next_number = next_number + 1 where tenant_id = ${t.id} and kind = 'invoice'`
      await db`update sales_documents set subtotal = 20, total = 20 where id = ${inv.body.id}`
      const broken = await violations(db)
      expect(broken.arMismatch).not.toBeNull()
      expect(broken.overAllocated).toHaveLength(1)
      expect(broken.numbering).toHaveLength(1)
    }
    finally {
      await db`rollback`
      db.release()
    }
    expect(await violations()).toEqual(clean)
  })

  it(`holds the invariants over ${NUM_RUNS} runs of 6–10 concurrent requests`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 6, maxLength: 10 }), async (ops) => {
      await Promise.all(ops.map(run))
      expect(await violations()).toEqual(clean)
    }), { numRuns: NUM_RUNS, endOnFailure: true })
    // The runs did what they are for: documents of every kind, allocations written and refused, voids.
    const [n] = await sql<Json[]>`
      select (select count(*) from sales_allocations where tenant_id = ${t.id})::int as allocations,
             (select count(*) from sales_allocations where tenant_id = ${t.id} and fx_entry_id is not null)::int as fx,
             (select count(*) from sales_allocations where tenant_id = ${t.id} and released_at is not null)::int as released,
             (select count(*) from sales_allocations where tenant_id = ${t.id} and credit_note_id is not null)::int as by_credit,
             (select count(*) from sales_documents where tenant_id = ${t.id} and status = 'paid')::int as paid,
             (select count(*) from receipts where tenant_id = ${t.id} and currency = 'EUR')::int as eur_receipts`
    expect(n!.allocations, JSON.stringify({ n, tally })).toBeGreaterThan(NUM_RUNS)
    expect(n!.fx).toBeGreaterThan(NUM_RUNS / 10)
    expect(n!.released).toBeGreaterThan(0)
    expect(n!.by_credit).toBeGreaterThan(0)
    expect(n!.paid).toBeGreaterThan(0)
    expect(n!.eur_receipts).toBeGreaterThan(NUM_RUNS / 4)
    expect(tally['allocate 422'] ?? 0).toBeGreaterThan(0)
    // The customers' balances from the API add up to the AR control account.
    const balances = await Promise.all(customers.map(async id => (await t.asOwner.get(`/api/v1/customers/${id}`)).body.balance as string))
    const [ar] = await sql`select coalesce(sum(l.base_debit - l.base_credit), 0)::numeric(20,2)::text as b from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id where l.tenant_id = ${t.id} and l.account_id = ${acc['1100']!} and e.status = 'posted'`
    expect(balances.reduce((s, b) => s + toCents(b), 0n)).toBe(toCents(ar!.b))
  }, 600_000)
})
