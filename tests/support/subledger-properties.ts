/**
 * The property test of a subledger (SPEC §6 modules 5 and 6: "Σ open invoice amounts − unallocated
 * credits (in base) = the AR control balance", and its mirror for bills), written once for both
 * sides: `tests/db/sales-properties.test.ts` runs it with {@link SubledgerSide} for receivables,
 * `tests/db/purchases-properties.test.ts` for payables. Each run sends a burst of 6–10 requests at
 * once through the real API, spread over several signed-in clerks (so over several connections) —
 * documents (invoices or bills) and credits (credit notes or vendor credits) posted in USD (base)
 * or EUR at a random rate, payments (receipts or bill payments) in either with allocations in the
 * body, later allocations of payments and credits, payment voids — aimed at the same few
 * documents so they race. Refusals (an over-allocation lost to a concurrent one, a paid document)
 * are expected answers; a 5xx is not. After every run, plain SQL on the tenant's rows checks that
 *   - the control account's posted balance (debit − credit, times the side's sign) = Σ over posted
 *     documents of what each carries in base − Σ over posted credits and active payments of their
 *     unallocated part in base, where a document carries its posted base (amount × its rate,
 *     rounded) less the base its allocations took off it (server/domain/sales/allocations.ts);
 *   - a settled document carries exactly 0, and any document carries its open amount × rate to
 *     within a cent per allocation;
 *   - the parties' balances (the API, where the side has them) add up to the control balance;
 *   - the trial balance balances (and per entry);
 *   - every number series is gapless 1..n per counter;
 *   - nothing is over-allocated, and amount_allocated and the document's status agree with its
 *     allocations that count.
 * `<SIDE>_PROPERTY_RUNS` (SALES_, PURCHASES_) sets the number of runs (default 200).
 * Amounts are built from integer cents into decimal strings, never from floats.
 */
import fc from 'fast-check'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type client, type TestTenant } from './api'
import { unbalancedPostedEntries } from './ledger-checks'

type Json = Record<string, any>

/** What differs between receivables and payables: routes, fields, tables and statuses. */
export interface SubledgerSide {
  title: string
  runsVariable: string
  clerkRoles: string[]
  partyPath: string
  partyField: string
  /** The control account's code in the standard chart, its natural sign (1: debit balance) and the lines' account. */
  control: { code: string, sign: 1 | -1 }
  lineAccount: string
  routes: { document: string, credit: string, payment: string }
  /** What a document's or a credit's body adds to post at once (`issue: true`, `submit: true`) and to be unique (`vendorReference`). */
  post: (kind: 'document' | 'credit', n: number) => Json
  /** The allocation body's document field, the payment body's account field. */
  targetField: string
  paymentAccountField: string
  paymentAccount: string
  /** Tables and columns; documents and credits share one table with a `kind`. */
  tables: { documents: string, payments: string, allocations: string }
  kinds: { document: string, credit: string }
  columns: { allocDocument: string, allocCredit: string, allocPayment: string, baseDocument: string }
  /** The posted, nothing-paid status of a document (`issued`, `open`). */
  unpaidStatus: string
  refusals: string[]
  paymentNotActive: string
  /** Before the runs (settings the side needs, e.g. a bill approval threshold). */
  setup?: (t: TestTenant) => Promise<void>
  /** Whether `GET {partyPath}/{id}` answers a `balance`. */
  partyBalances: boolean
}

/** A whole number of cents as a decimal string with two places. */
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
const toCents = (v: string) => (v.startsWith('-') ? -1n : 1n) * BigInt(v.replace(/^-/, '').replace('.', ''))
const DAYS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']

type Op
  = | { op: 'document', party: number, eur: number | null, cents: number, day: number }
    | { op: 'credit', party: number, eur: number | null, cents: number, day: number }
    | { op: 'payment', party: number, eur: number | null, cents: number, day: number, pays: { pick: number, cents: number }[] }
    | { op: 'allocate', from: 'payment' | 'credit', pick: number, target: number, cents: number, full: boolean }
    | { op: 'void', pick: number }

const rateArb = fc.option(fc.integer({ min: 8_000, max: 16_000 }), { freq: 2 }) // EUR at 0.8000–1.6000, else USD
const docArb = <K extends 'document' | 'credit'>(op: K) => fc.record({
  op: fc.constant(op), party: fc.integer({ min: 0, max: 2 }), eur: rateArb, cents: fc.integer({ min: 1, max: 50_000 }), day: fc.integer({ min: 0, max: DAYS.length - 1 }),
})
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: docArb('document') },
  { weight: 1, arbitrary: docArb('credit') },
  {
    weight: 4, arbitrary: fc.record({
      op: fc.constant('payment' as const), party: fc.integer({ min: 0, max: 2 }), eur: rateArb, cents: fc.integer({ min: 1, max: 60_000 }), day: fc.integer({ min: 0, max: DAYS.length - 1 }),
      pays: fc.array(fc.record({ pick: fc.nat(), cents: fc.integer({ min: 1, max: 30_000 }) }), { maxLength: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('allocate' as const), from: fc.constantFrom('payment' as const, 'credit' as const), pick: fc.nat(), target: fc.nat(), cents: fc.integer({ min: 1, max: 30_000 }), full: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick: fc.nat() }) },
) as fc.Arbitrary<Op>

const rateOf = (eur: number | null) => (eur === null ? {} : { currency: 'EUR', exchangeRate: `${Math.floor(eur / 10_000)}.${String(eur % 10_000).padStart(4, '0')}` })

export function describeSubledgerProperties(side: SubledgerSide) {
  /** Generated runs (`<SIDE>_PROPERTY_RUNS`, default 200). */
  const NUM_RUNS = Number(process.env[side.runsVariable] ?? 200)
  const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
  afterAll(() => sql.end())

  let t: TestTenant
  let clerks: ReturnType<typeof client>[] = []
  let turn = 0
  const clerk = () => clerks[turn++ % clerks.length]!
  let acc: Record<string, string> = {}
  const parties: string[] = []
  /** What exists so far, by kind (ids with their party and currency), for later ops to aim at. */
  const known = { document: [] as Json[], credit: [] as Json[], payment: [] as Json[] }
  const tally: Record<string, number> = {}
  const count = (k: string) => {
    tally[k] = (tally[k] ?? 0) + 1
  }
  const refusals = new Set(side.refusals)
  const { documents, payments, allocations } = side.tables
  const [D, P, A] = [sql(documents), sql(payments), sql(allocations)]
  const [aDoc, aCredit, aPay, baseDoc] = [sql(side.columns.allocDocument), sql(side.columns.allocCredit), sql(side.columns.allocPayment), sql(side.columns.baseDocument)]
  const posted = [side.unpaidStatus, 'partially_paid', 'paid']

  beforeAll(async () => {
    t = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
    acc = Object.fromEntries(((await t.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id]))
    for (const name of ['Alpha', 'Beta', 'Gamma']) parties.push((await t.asOwner.post(side.partyPath, { json: { name } })).body.id)
    await side.setup?.(t)
    clerks = (await Promise.all(Array.from({ length: 8 }, () => addMember(t, side.clerkRoles)))).map(m => m.client)
  })

  const sameParty = (list: Json[], like: Json) => list.filter(x => x[side.partyField] === like[side.partyField] && x.currency === like.currency)
  let sent = 0
  const postDocument = (c: ReturnType<typeof client>, kind: 'document' | 'credit', party: string, day: number, unitPrice: string, rate: Json) =>
    c.post(side.routes[kind], { json: {
      [side.partyField]: party, date: DAYS[day], amountsAre: 'exclusive', ...side.post(kind, ++sent), ...rate,
      lines: [{ description: 'Generated', quantity: '1', unitPrice, accountId: acc[side.lineAccount], taxRateId: null }],
    } })

  async function run(o: Op): Promise<void> {
    const c = clerk()
    let res
    if (o.op === 'document' || o.op === 'credit') {
      res = await postDocument(c, o.op, parties[o.party]!, o.day, cents(o.cents), rateOf(o.eur))
      expect(res.status, res.text).toBe(201)
      known[o.op].push(res.body)
    }
    else if (o.op === 'payment') {
      const like = { [side.partyField]: parties[o.party], currency: o.eur === null ? 'USD' : 'EUR' }
      const targets = sameParty(known.document, like)
      const pays = targets.length ? [...new Map(o.pays.map(p => [targets[p.pick % targets.length]!.id, p.cents])).entries()] : []
      res = await c.post(side.routes.payment, { json: {
        [side.partyField]: like[side.partyField], date: DAYS[o.day], amount: cents(o.cents), [side.paymentAccountField]: acc[side.paymentAccount], ...rateOf(o.eur),
        allocations: pays.map(([id, n]) => ({ [side.targetField]: id, amount: cents(n) })),
      } })
      if (res.status === 201) known.payment.push(res.body)
    }
    else if (o.op === 'allocate') {
      const sources = known[o.from]
      if (!sources.length) return
      const source = sources[o.pick % sources.length]!
      const targets = sameParty(known.document, source)
      if (!targets.length) return
      const target = targets[o.target % targets.length]!
      let amount = cents(o.cents)
      if (o.full) {
        // all that is left on the smaller side as read now (a concurrent allocation may still take it first)
        const [left] = await sql<{ v: string }[]>`select least(
            (select total - amount_allocated from ${D} where id = ${target.id}),
            coalesce((select amount - amount_allocated from ${P} where id = ${source.id}), (select total - amount_allocated from ${D} where id = ${source.id}))
          )::numeric(20,2)::text as v`
        if (!left || !/[1-9]/.test(left.v) || left.v.startsWith('-')) return
        amount = left.v
      }
      res = await c.post(`${o.from === 'payment' ? side.routes.payment : side.routes.credit}/${source.id}/allocations`, { json: { [side.targetField]: target.id, amount } })
    }
    else {
      if (!known.payment.length) return
      res = await c.post(`${side.routes.payment}/${known.payment[o.pick % known.payment.length]!.id}/void`, { json: {} })
    }
    count(`${o.op} ${res.status}`)
    if (res.status >= 300) {
      // a payment voided twice is 409; every other expected refusal is a 422
      expect(res.status, res.text).toBe(res.body?.data?.code === side.paymentNotActive ? 409 : 422)
      expect(refusals.has(res.body.data.code), res.text).toBe(true)
    }
  }

  const controlBalance = (db: postgres.Sql | postgres.ReservedSql) => db<{ b: string }[]>`
    select (${side.control.sign} * coalesce(sum(l.base_debit - l.base_credit), 0))::numeric(20,2)::text as b
      from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
     where l.tenant_id = ${t.id} and l.account_id = ${acc[side.control.code]!} and e.status = 'posted'`

  /** Rows that break an invariant; each must come back empty (or null). */
  async function violations(db: postgres.Sql | postgres.ReservedSql = sql) {
    const tid = t.id
    // Per document, credit and payment: its sign, posted base, what counts of its allocations, and the base they took off it.
    const carried = db`
      select d.id, d.kind, d.total as amount, d.amount_allocated, d.exchange_rate,
             case d.kind when ${side.kinds.document} then 1 else -1 end as sign,
             round(d.total * d.exchange_rate, 2) - coalesce(s.base, 0) as carried, coalesce(s.n, 0) as n
        from ${D} d
        left join lateral (select sum(case d.kind when ${side.kinds.document} then a.${baseDoc} else a.base_amount_source end) as base, count(*) as n
                             from ${A} a where a.tenant_id = d.tenant_id and a.released_at is null and (a.${aDoc} = d.id or a.${aCredit} = d.id)) s on true
       where d.tenant_id = ${tid} and d.status in ${db(posted)}
      union all
      select r.id, 'payment', r.amount, r.amount_allocated, r.exchange_rate, -1,
             round(r.amount * r.exchange_rate, 2) - coalesce(s.base, 0), coalesce(s.n, 0)
        from ${P} r
        left join lateral (select sum(a.base_amount_source) as base, count(*) as n from ${A} a where a.tenant_id = r.tenant_id and a.${aPay} = r.id and a.released_at is null) s on true
       where r.tenant_id = ${tid} and r.status = 'active'`
    const [[control], [docs]] = await Promise.all([
      controlBalance(db),
      db<{ v: string }[]>`select coalesce(sum(sign * carried), 0)::numeric(20,2)::text as v from (${carried}) c`,
    ])
    const controlMismatch = control!.b === docs!.v ? null : { control: control!.b, documents: docs!.v }
    // Per document: settled → carries 0; otherwise within a cent per allocation of open × rate.
    const carriedWrong = await db`
      select * from (${carried}) c
       where carried < 0
          or (amount_allocated = amount and carried <> 0)
          or abs(carried - round((amount - amount_allocated) * exchange_rate, 2)) > 0.01 * (n + 1)`
    const overAllocated = await db`
      select d.id, d.kind, d.status, d.total, d.amount_allocated, coalesce(s.sum, 0) as from_allocations
        from ${D} d
        left join lateral (select sum(a.amount) as sum from ${A} a where a.tenant_id = d.tenant_id and a.released_at is null and (a.${aDoc} = d.id or a.${aCredit} = d.id)) s on true
       where d.tenant_id = ${tid}
         and (d.amount_allocated > d.total or d.amount_allocated <> coalesce(s.sum, 0)
              or (d.kind = ${side.kinds.document} and d.status in ${db(posted)}
                  and d.status <> (case when d.amount_allocated = 0 then ${side.unpaidStatus} when d.amount_allocated = d.total then 'paid' else 'partially_paid' end)))
      union all
      select r.id, 'payment', r.status, r.amount, r.amount_allocated, coalesce((select sum(a.amount) from ${A} a where a.tenant_id = r.tenant_id and a.${aPay} = r.id and a.released_at is null), 0)
        from ${P} r where r.tenant_id = ${tid}
         and (r.amount_allocated > r.amount or r.amount_allocated <> coalesce((select sum(a.amount) from ${A} a where a.tenant_id = r.tenant_id and a.${aPay} = r.id and a.released_at is null), 0))`
    const [trial] = await db<{ d: string, c: string }[]>`
      select coalesce(sum(l.base_debit), 0)::text as d, coalesce(sum(l.base_credit), 0)::text as c
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where l.tenant_id = ${tid} and e.status = 'posted'`
    const unbalanced = await unbalancedPostedEntries(db as postgres.Sql, tid)
    // Every counter of the tenant against the numbers its documents and payments carry (prefix + digits).
    const numbering = await db`
      with numbered as (
        select substring(number from '^[A-Z]+-') as prefix, substring(number from '[0-9]+$')::int as n from ${D} where tenant_id = ${tid} and number is not null
        union all
        select substring(number from '^[A-Z]+-'), substring(number from '[0-9]+$')::int from ${P} where tenant_id = ${tid}
      )
      select c.kind, c.prefix, c.next_number, count(x.n)::int as issued, min(x.n) as lo, max(x.n) as hi, count(distinct x.n)::int as distinct_n
        from document_counters c left join numbered x on x.prefix = c.prefix
       where c.tenant_id = ${tid}
       group by c.kind, c.prefix, c.next_number
      having count(x.n) <> c.next_number - 1 or (count(x.n) > 0 and (min(x.n) <> 1 or max(x.n) <> count(x.n) or count(distinct x.n) <> count(x.n)))`
    return { controlMismatch, carriedWrong, overAllocated, trialDifference: trial!.d === trial!.c ? null : trial, unbalanced, numbering }
  }
  const clean = { controlMismatch: null, carriedWrong: [], overAllocated: [], trialDifference: null, unbalanced: [], numbering: [] }

  describe(`${side.title} properties under concurrent documents, payments and allocations`, () => {
    it('the checks see a broken subledger (control: an allocated amount changed behind the triggers, rolled back)', async () => {
      const doc = await postDocument(t.asOwner, 'document', parties[0]!, 0, '10.00', {})
      expect(doc.status, doc.text).toBe(201)
      known.document.push(doc.body)
      expect(await violations()).toEqual(clean)
      const db = await sql.reserve()
      try {
        await db`begin`
        await db`set local session_replication_role = replica`
        await db`update ${D} set amount_allocated = 4, status = 'paid' where id = ${doc.body.id}`
        await db`update document_counters set next_number = next_number + 1 where tenant_id = ${t.id} and prefix = ${doc.body.number.replace(/[0-9]+$/, '')}`
        await db`update ${D} set subtotal = 20, total = 20 where id = ${doc.body.id}`
        const broken = await violations(db)
        expect(broken.controlMismatch).not.toBeNull()
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
      // Floors well under what the runs give (a 50-run pass once wrote exactly 50 allocations: most
      // payments race the documents they name and are refused), so a short pass does not miss them by chance.
      const [n] = await sql<Json[]>`
        select (select count(*) from ${A} where tenant_id = ${t.id})::int as allocations,
               (select count(*) from ${A} where tenant_id = ${t.id} and fx_entry_id is not null)::int as fx,
               (select count(*) from ${A} where tenant_id = ${t.id} and released_at is not null)::int as released,
               (select count(*) from ${A} where tenant_id = ${t.id} and ${aCredit} is not null)::int as by_credit,
               (select count(*) from ${D} where tenant_id = ${t.id} and status = 'paid')::int as paid,
               (select count(*) from ${P} where tenant_id = ${t.id} and currency = 'EUR')::int as eur_payments`
      expect(n!.allocations, JSON.stringify({ n, tally })).toBeGreaterThan(NUM_RUNS / 2)
      expect(n!.fx).toBeGreaterThan(NUM_RUNS / 10)
      expect(n!.released).toBeGreaterThan(0)
      expect(n!.by_credit).toBeGreaterThan(0)
      expect(n!.paid).toBeGreaterThan(0)
      expect(n!.eur_payments).toBeGreaterThan(NUM_RUNS / 4)
      expect(tally['allocate 422'] ?? 0).toBeGreaterThan(0)
      if (side.partyBalances) {
        // The parties' balances from the API add up to the control account.
        const balances = await Promise.all(parties.map(async id => (await t.asOwner.get(`${side.partyPath}/${id}`)).body.balance as string))
        const [control] = await controlBalance(sql)
        expect(balances.reduce((s, b) => s + toCents(b), 0n)).toBe(toCents(control!.b))
      }
    }, 600_000)
  })
}
