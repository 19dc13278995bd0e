/**
 * Property tests of the general ledger (SPEC 6.3) with fast-check: random balanced entries (2–6
 * lines over accounts of every type, some in EUR at a random rate), posted through the real API
 * 8–10 at a time (plus reversals) — straight away, or as a draft and then posted — while earlier entries are
 * reversed in the same burst. After every run, plain SQL on the tenant's rows checks that
 *   - the trial balance balances (posted base debits = posted base credits, and per entry),
 *   - account_balances equals the posted lines summed per account and period,
 *   - every reversal pair nets to zero per account, in both currencies,
 *   - posted numbers in each fiscal year are exactly 1..n, as far as the counter has gone.
 * Amounts are built from integer cents into decimal strings, never from floats.
 */
import fc from 'fast-check'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type client, type TestTenant } from '../support/api'
import { balancesNotMatchingLines, unbalancedPostedEntries } from '../support/ledger-checks'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

/** Generated runs of each property (LEDGER_PROPERTY_RUNS, default 200; the embedded CI pass runs fewer). */
const NUM_RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 200)
/** Accounts of each type, a contra account among them. */
// Not 1100 and 2000: the control accounts take no manual lines.
const CODES = ['1000', '1010', '1300', '1510', '2200', '2300', '3000', '3200', '4000', '4100', '5000', '6100', '6600']
const FIRST_DAY = Date.UTC(2025, 10, 1)
const DAYS = 120 // 2025-11-01 … 2026-02-28: two fiscal years (January start), five months

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
const day = (offset: number) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10)

interface GenLine { code: string, side: 'debit' | 'credit', cents: number }
interface GenEntry { lines: GenLine[], day: number, eur: number | null, viaDraft: boolean }

/** 2–6 lines with both sides present; the smaller side is topped up on its largest line, so it balances. */
const entryArb: fc.Arbitrary<GenEntry> = fc.record({
  raw: fc.array(fc.record({ code: fc.constantFrom(...CODES), debit: fc.boolean(), cents: fc.integer({ min: 1, max: 5_000_000 }) }), { minLength: 2, maxLength: 6 }),
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  // EUR at a rate of 0.5000–2.0000 (as integer ten-thousandths), or the base currency.
  eur: fc.option(fc.integer({ min: 5_000, max: 20_000 }), { freq: 3 }),
  viaDraft: fc.boolean(),
}).map(({ raw, day, eur, viaDraft }) => {
  const lines: GenLine[] = raw.map((l, i) => ({ code: l.code, side: i === 0 ? 'debit' : i === 1 ? 'credit' : l.debit ? 'debit' : 'credit', cents: l.cents }))
  const total = (side: GenLine['side']) => lines.filter(l => l.side === side).reduce((a, l) => a + l.cents, 0)
  const diff = total('debit') - total('credit')
  if (diff !== 0) {
    const short = diff > 0 ? 'credit' : 'debit'
    const target = lines.filter(l => l.side === short).reduce((a, b) => (b.cents > a.cents ? b : a))
    target.cents += Math.abs(diff)
  }
  return { lines, day, eur, viaDraft }
})

const batchArb = fc.record({
  entries: fc.array(entryArb, { minLength: 8, maxLength: 10 }),
  // How many earlier posted entries to reverse in the same burst, and on which day (or the original's).
  reversals: fc.array(fc.option(fc.integer({ min: 0, max: DAYS - 1 }), { freq: 2 }), { minLength: 0, maxLength: 4 }),
})

let t: TestTenant
/**
 * Accountants who post in turn: the API allows 600 requests a minute per principal, and the runs
 * send several thousand, so they are spread over several signed-in members.
 */
let posters: ReturnType<typeof client>[] = []
let turn = 0
const poster = () => posters[turn++ % posters.length]!
/** Posted, unreversed, non-reversal entries from earlier runs: candidates for reversal. */
const reversible: { id: string, date: string }[] = []
const totals = { posted: 0, reversed: 0, drafts: 0 }

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  posters = (await Promise.all(Array.from({ length: 8 }, () => addMember(t, ['accountant'])))).map(m => m.client)
})

function body(e: GenEntry, post: boolean) {
  const rateStr = e.eur === null ? undefined : `${Math.floor(e.eur / 10_000)}.${String(e.eur % 10_000).padStart(4, '0')}`
  return {
    date: day(e.day), memo: `property ${e.lines.length} lines`, post,
    ...(rateStr ? { currency: 'EUR', exchangeRate: rateStr } : {}),
    lines: e.lines.map(l => ({ accountCode: l.code, [l.side]: cents(l.cents) })),
  }
}

/** Creates and posts one entry through the API; returns the posted resource. */
async function postOne(e: GenEntry) {
  const as = poster()
  const created = await as.post('/api/v1/journal-entries', { json: body(e, !e.viaDraft) })
  expect(created.status, created.text).toBe(201)
  if (!e.viaDraft) return created.body
  totals.drafts++
  const res = await as.post(`/api/v1/journal-entries/${created.body.id}/post`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

async function reverseOne(target: { id: string, date: string }, on: number | null) {
  const res = await poster().post(`/api/v1/journal-entries/${target.id}/reverse`, { json: on === null ? {} : { date: day(on) } })
  expect(res.status, res.text).toBe(201)
  expect(res.body.date).toBe(on === null ? target.date : day(on))
  expect(res.body.totals.baseDebit).toBe(res.body.totals.baseCredit)
  return res.body
}

/** Rows that break an invariant; each query must come back empty. */
async function violations(db: postgres.Sql | postgres.ReservedSql = sql) {
  const tid = t.id
  // Fresh statistics, as autovacuum would keep them: the shared test database may have been
  // analyzed (by a bulk seed) while this tenant was still empty, and stale estimates of one row
  // turn these checks into nested loops over the whole run's lines.
  await db`analyze journal_entries, journal_lines, account_balances`
  const [trial] = await db<{ d: string, c: string }[]>`
    select coalesce(sum(l.base_debit), 0)::text as d, coalesce(sum(l.base_credit), 0)::text as c
    from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
    where l.tenant_id = ${tid} and e.status = 'posted'`
  const unbalanced = await unbalancedPostedEntries(db, tid)
  const balancesDiffer = await balancesNotMatchingLines(db, tid)
  const pairsNotZero = await db`
    select r.id as reversal, l.account_id,
      sum(l.debit - l.credit) as net, sum(l.base_debit - l.base_credit) as base_net
    from journal_entries r
    join journal_lines l on l.tenant_id = r.tenant_id and l.entry_id in (r.id, r.reversal_of_id)
    where r.tenant_id = ${tid} and r.reversal_of_id is not null
    group by r.id, l.account_id
    having sum(l.debit - l.credit) <> 0 or sum(l.base_debit - l.base_credit) <> 0`
  const pairsWrong = await db`
    select r.id from journal_entries r join journal_entries o on o.tenant_id = r.tenant_id and o.id = r.reversal_of_id
    where r.tenant_id = ${tid} and (r.status <> 'posted' or o.status <> 'posted' or o.reversed_by_id is distinct from r.id)`
  const numbering = await db`
    select y.id, c.last_number, count(e.id)::int as n, min(e.number) as lo, max(e.number) as hi, count(distinct e.number)::int as distinct_n
    from fiscal_years y
    left join journal_entries e on e.tenant_id = y.tenant_id and e.fiscal_year_id = y.id and e.status = 'posted'
    left join entry_counters c on c.tenant_id = y.tenant_id and c.fiscal_year_id = y.id
    where y.tenant_id = ${tid}
    group by y.id, c.last_number
    having count(e.id) <> coalesce(c.last_number, 0) or (count(e.id) > 0 and (min(e.number) <> 1 or max(e.number) <> count(e.id) or count(distinct e.number) <> count(e.id)))`
  return { trialDifference: trial!.d === trial!.c ? null : trial, unbalanced, balancesDiffer, pairsNotZero, pairsWrong, numbering }
}

const clean = { trialDifference: null, unbalanced: [], balancesDiffer: [], pairsNotZero: [], pairsWrong: [], numbering: [] }

describe('ledger properties under concurrent posting', () => {
  it('the checks report a broken ledger (control: triggers off, as the superuser, rolled back)', async () => {
    const first = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-01-05', memo: 'seed', post: true, lines: [{ accountCode: '1000', debit: '1.00' }, { accountCode: '3000', credit: '1.00' }] } })
    expect(first.status).toBe(201)
    expect(first.body.number).toBe(1)
    expect(await violations()).toEqual(clean)
    const db = await sql.reserve()
    try {
      await db`begin`
      await db`set local session_replication_role = replica`
      await db`update account_balances set debit = debit + 1 where tenant_id = ${t.id} and account_id = (select account_id from journal_lines where entry_id = ${first.body.id} and line_no = 1)`
      await db`update journal_lines set base_credit = base_credit + 1, credit = credit + 1 where entry_id = ${first.body.id} and line_no = 2`
      await db`update journal_entries set number = 3 where id = ${first.body.id}`
      const broken = await violations(db)
      expect(broken.trialDifference).not.toBeNull()
      expect(broken.unbalanced).toHaveLength(1)
      expect(broken.balancesDiffer.length).toBeGreaterThan(0)
      expect(broken.numbering).toHaveLength(1)
    }
    finally {
      await db`rollback`
      db.release()
    }
    expect(await violations()).toEqual(clean)
    reversible.push({ id: first.body.id, date: first.body.date })
    totals.posted++
  })

  it(`holds the invariants over ${NUM_RUNS} runs of 8–10 concurrent postings and reversals`, async () => {
    await fc.assert(fc.asyncProperty(batchArb, async ({ entries, reversals }) => {
      const targets = reversals.slice(0, reversible.length).map(on => ({ target: reversible.splice(Math.floor(reversible.length / 2), 1)[0]!, on }))
      const [posts, revs] = await Promise.all([
        Promise.all(entries.map(postOne)),
        Promise.all(targets.map(({ target, on }) => reverseOne(target, on))),
      ])
      for (const p of posts) {
        expect(p.status).toBe('posted')
        expect(p.totals.baseDebit).toBe(p.totals.baseCredit)
        reversible.push({ id: p.id, date: p.date })
      }
      totals.posted += posts.length + revs.length
      totals.reversed += revs.length
      expect(await violations()).toEqual(clean)
    }), { numRuns: NUM_RUNS, endOnFailure: true })

    // The runs did what they claim: many postings, reversals and drafts, and several fiscal years.
    expect(totals.posted).toBeGreaterThan(NUM_RUNS * 8)
    expect(totals.reversed).toBeGreaterThan(NUM_RUNS / 2)
    expect(totals.drafts).toBeGreaterThan(NUM_RUNS)
    const [counts] = await sql`
      select count(*) filter (where status = 'posted')::int as posted, count(*) filter (where kind = 'reversal')::int as reversals,
        count(distinct fiscal_year_id)::int as years, count(*) filter (where currency = 'EUR')::int as eur
      from journal_entries where tenant_id = ${t.id}`
    expect(counts).toMatchObject({ posted: totals.posted, reversals: totals.reversed, years: 2 })
    expect(counts!.eur).toBeGreaterThan(NUM_RUNS)
    const [rounding] = await sql`select count(*)::int as n from journal_lines where tenant_id = ${t.id} and is_rounding`
    expect(rounding!.n).toBeGreaterThan(0)
  }, 600_000)
})
