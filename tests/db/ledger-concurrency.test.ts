/**
 * The ledger under a crowd (SPEC 6.3): 32 clients at once — four tenants, eight signed-in members
 * each — through the real API. In every run seven members of each tenant create and post entries,
 * create drafts and post them a moment later, and reverse earlier entries (often two of them the
 * same one), while the eighth closes and reopens January and February 2026 in between. A close
 * either wins (later postings into the period get 422 LEDGER_PERIOD_CLOSED) or waits for the
 * postings in flight; with a draft dated in the period it is refused (422 PERIOD_HAS_DRAFTS).
 *
 * After each run's race, with nothing in flight, every tenant is checked:
 *   - every answer was one the operation may give (never a 5xx), and agreed with the client's
 *     clock: nothing was accepted into a period whose close had answered before the request was
 *     sent and whose reopen had not yet been asked for; nothing was refused as closed unless a
 *     close of its period overlapped the request; and no draft's posting was refused as closed (a
 *     period cannot close while a draft is dated in it, not even one created during the close);
 *   - plain SQL as the database owner: the entries are exactly the ones the API created, with the
 *     status and number it answered; posted numbers per fiscal year are 1..n, as far as the counter
 *     has gone; drafts have no number and none is dated in a closed period; every posted entry has
 *     two lines or more and balances in both currencies; account_balances equal the posted lines
 *     per account and period; every reversal is posted, nets its original to zero and is the only
 *     one; in the audit chain's order no entry was posted into its period between a close and the
 *     next reopen; no row of one tenant names another tenant's rows or users;
 *   - through the API: the trial balance equals the posted lines per account, and balances; the
 *     audit chain verifies.
 * Then the closer reopens what is still closed, and the next run's checks cover that too, as does
 * a last check after the final run.
 *
 * Sized for CI (PROPERTY_RUNS, default 12); PROPERTY_SEED replays or varies the generated runs,
 * although the interleaving itself is up to the machine. Amounts are built from integer cents.
 */
import { performance } from 'node:perf_hooks'
import fc from 'fast-check'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type client, type TestTenant } from '../support/api'
import { balancesNotMatchingLines, unbalancedPostedEntries } from '../support/ledger-checks'

const owner = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
afterAll(() => owner.end())

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 12)
const SEED = Number(process.env.PROPERTY_SEED ?? 20261130)
const TENANTS = 4
const WORKERS = 7 // plus one closer per tenant: 32 clients
// Not 1100 and 2000: the control accounts take no manual lines.
const CODES = ['1000', '1010', '1300', '1510', '2200', '2300', '3000', '3200', '4000', '4100', '5000', '6100', '6600']
/** January and February 2026 are closed and reopened during the runs; March and April never. */
const RACE_MONTHS = [1, 2] as const

type Client = ReturnType<typeof client>
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
const date = (month: number, day: number) => `2026-0${month}-${String(day).padStart(2, '0')}`
const monthOf = (d: string) => Number(d.slice(5, 7))
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

interface GenEntry { lines: { code: string, side: 'debit' | 'credit', cents: number }[], month: number, day: number, eur: number | null }

/** 2–4 lines with both sides present; the smaller side is topped up on its largest line, so it balances. */
const entryArb: fc.Arbitrary<GenEntry> = fc.record({
  raw: fc.array(fc.record({ code: fc.constantFrom(...CODES), debit: fc.boolean(), cents: fc.integer({ min: 1, max: 2_000_000 }) }), { minLength: 2, maxLength: 4 }),
  // Half of the entries fall in the months that close.
  month: fc.oneof(fc.constantFrom(1, 2), fc.constantFrom(3, 4)),
  day: fc.integer({ min: 1, max: 28 }),
  eur: fc.option(fc.integer({ min: 5_000, max: 20_000 }), { freq: 3 }),
}).map(({ raw, month, day, eur }) => {
  const lines = raw.map((l, i) => ({ code: l.code, side: (i === 0 ? 'debit' : i === 1 ? 'credit' : l.debit ? 'debit' : 'credit') as 'debit' | 'credit', cents: l.cents }))
  const total = (side: 'debit' | 'credit') => lines.filter(l => l.side === side).reduce((a, l) => a + l.cents, 0)
  const diff = total('debit') - total('credit')
  if (diff !== 0) {
    const short = diff > 0 ? 'credit' : 'debit'
    lines.filter(l => l.side === short).reduce((a, b) => (b.cents > a.cents ? b : a)).cents += Math.abs(diff)
  }
  return { lines, month, day, eur }
})

/**
 * Create and post; create a draft and post it `holdMs` later (while it waits, a close of its period
 * is refused); reverse one of the few newest reversible entries (so clients often race for the
 * same one), on its own date or another.
 */
type WorkerOp = { kind: 'post', entry: GenEntry } | { kind: 'draft', entry: GenEntry, holdMs: number } | { kind: 'reverse', pick: number, on: { month: number, day: number } | null }

const workerOpArb: fc.Arbitrary<WorkerOp> = fc.oneof(
  { weight: 3, arbitrary: entryArb.map(entry => ({ kind: 'post' as const, entry })) },
  { weight: 2, arbitrary: fc.record({ entry: entryArb, holdMs: fc.integer({ min: 0, max: 150 }) }).map(r => ({ kind: 'draft' as const, ...r })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(3), on: fc.option(fc.record({ month: fc.integer({ min: 1, max: 4 }), day: fc.integer({ min: 1, max: 28 }) }), { freq: 2 }) }).map(r => ({ kind: 'reverse' as const, ...r })) },
)

interface CloserOp { kind: 'close' | 'reopen', waitMs: number }
const closerArb = fc.array(fc.record({ kind: fc.constantFrom('close', 'close', 'reopen') as fc.Arbitrary<'close' | 'reopen'>, waitMs: fc.integer({ min: 0, max: 250 }) }), { minLength: 1, maxLength: 4 })

const runArb = fc.array(fc.record({
  workers: fc.array(fc.array(workerOpArb, { minLength: 1, maxLength: 4 }), { minLength: WORKERS, maxLength: WORKERS }),
  closer: closerArb,
}), { minLength: TENANTS, maxLength: TENANTS })

/** When a close of one period answered 200, and when it was reopened (asked, answered). */
interface ClosedWindow { month: number, closeSent: number, closeDone: number, reopenSent: number, reopenDone: number }
interface Attempt { what: string, date: string, sent: number, done: number, outcome: string }

interface Ledger {
  t: TestTenant
  workers: Client[]
  closer: Client
  /** Race month → period id. */
  periods: Map<number, string>
  closed: Set<number>
  /** Posted entries neither reversed nor reversals, newest last. */
  reversible: { id: string, date: string }[]
  /** Every entry the API said it created: status and number as last answered. */
  known: Map<string, { status: 'draft' | 'posted', number: number | null }>
  windows: ClosedWindow[]
  attempts: Attempt[]
  anomalies: string[]
}

const ledgers: Ledger[] = []
const tally = new Map<string, number>()
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1)

/** The answers each operation may give; anything else (a 5xx above all) is an anomaly. */
const ALLOWED: Record<string, string[]> = {
  post: ['201', '422 LEDGER_PERIOD_CLOSED'],
  draft: ['201', '422 LEDGER_PERIOD_CLOSED'],
  // Never refused as closed: while the draft exists its period cannot close (PERIOD_HAS_DRAFTS),
  // and a close that won the race against its creation refuses the draft itself.
  postDraft: ['200'],
  reverse: ['201', '409 LEDGER_ALREADY_REVERSED', '422 LEDGER_PERIOD_CLOSED'],
  close: ['200', '422 PERIOD_HAS_DRAFTS'],
  reopen: ['200'],
}

/** Sends one request, timing it on the client's clock and checking its answer against ALLOWED. */
async function attempt(l: Ledger, what: string, on: string, send: () => Promise<{ status: number, body: any, text: string }>) {
  const sent = performance.now()
  const res = await send()
  const done = performance.now()
  const outcome = res.status < 300 ? String(res.status) : `${res.status} ${res.body?.data?.code}`
  count(`${what} ${outcome}`)
  if (!ALLOWED[what]!.includes(outcome)) l.anomalies.push(`${what} on ${on} answered ${res.status}: ${res.text.slice(0, 300)}`)
  if (what !== 'close' && what !== 'reopen') l.attempts.push({ what, date: on, sent, done, outcome })
  return { ...res, ok: res.status < 300 }
}

function body(e: GenEntry, post: boolean) {
  const rate = e.eur === null ? undefined : `${Math.floor(e.eur / 10_000)}.${String(e.eur % 10_000).padStart(4, '0')}`
  return {
    date: date(e.month, e.day), memo: `crowd ${e.lines.length} lines`, post,
    ...(rate ? { currency: 'EUR', exchangeRate: rate } : {}),
    lines: e.lines.map(x => ({ accountCode: x.code, [x.side]: cents(x.cents) })),
  }
}

function posted(l: Ledger, entry: { id: string, number: number, date: string }, reversible: boolean) {
  l.known.set(entry.id, { status: 'posted', number: entry.number })
  if (reversible) l.reversible.push({ id: entry.id, date: entry.date })
}

async function runWorker(l: Ledger, as: Client, ops: WorkerOp[]) {
  for (const op of ops) {
    if (op.kind === 'post') {
      const res = await attempt(l, 'post', date(op.entry.month, op.entry.day), () => as.post('/api/v1/journal-entries', { json: body(op.entry, true) }))
      if (res.ok) posted(l, res.body, true)
    }
    else if (op.kind === 'draft') {
      const on = date(op.entry.month, op.entry.day)
      const created = await attempt(l, 'draft', on, () => as.post('/api/v1/journal-entries', { json: body(op.entry, false) }))
      if (!created.ok) continue
      l.known.set(created.body.id, { status: 'draft', number: null })
      await sleep(op.holdMs)
      const res = await attempt(l, 'postDraft', on, () => as.post(`/api/v1/journal-entries/${created.body.id}/post`))
      if (res.ok) posted(l, res.body, true)
    }
    else {
      const pool = l.reversible
      if (!pool.length) continue
      const target = pool[Math.max(0, pool.length - 1 - op.pick)]!
      const on = op.on ? date(op.on.month, op.on.day) : target.date
      const res = await attempt(l, 'reverse', on, () => as.post(`/api/v1/journal-entries/${target.id}/reverse`, { json: op.on ? { date: on } : {} }))
      if (res.ok) posted(l, res.body, false)
      // Reversed now, by this client or by the one that beat it (409).
      const at = l.reversible.indexOf(target)
      if ((res.status === 201 || res.status === 409) && at >= 0) l.reversible.splice(at, 1)
    }
  }
}

/** Periods close in order and reopen latest first, so the closer works on the edge of what is closed. */
async function runCloser(l: Ledger, ops: CloserOp[]) {
  for (const op of ops) {
    await sleep(op.waitMs)
    if (op.kind === 'close') {
      const month = RACE_MONTHS.find(m => !l.closed.has(m))
      if (month === undefined) continue
      const closeSent = performance.now()
      const res = await attempt(l, 'close', date(month, 1), () => l.closer.post(`/api/v1/fiscal-periods/${l.periods.get(month)}/close`))
      if (res.ok) {
        l.closed.add(month)
        l.windows.push({ month, closeSent, closeDone: performance.now(), reopenSent: Infinity, reopenDone: Infinity })
      }
    }
    else {
      await reopenLatest(l)
    }
  }
}

async function reopenLatest(l: Ledger) {
  const month = [...RACE_MONTHS].reverse().find(m => l.closed.has(m))
  if (month === undefined) return
  const window = l.windows.filter(w => w.month === month).at(-1)!
  window.reopenSent = performance.now()
  const res = await attempt(l, 'reopen', date(month, 1), () => l.closer.post(`/api/v1/fiscal-periods/${l.periods.get(month)}/reopen`, { json: { reason: 'concurrency test' } }))
  window.reopenDone = performance.now()
  if (res.ok) l.closed.delete(month)
}

/** The client's clock against each answer about a period: see the file's comment. */
function timelineAnomalies(l: Pick<Ledger, 'attempts' | 'windows'>): string[] {
  const found: string[] = []
  for (const a of l.attempts) {
    const windows = l.windows.filter(w => w.month === monthOf(a.date))
    if (a.outcome.startsWith('2') && windows.some(w => w.closeDone < a.sent && a.done < w.reopenSent)) {
      found.push(`${a.what} on ${a.date} was accepted (${a.outcome}) while its period was closed`)
    }
    if (a.outcome === '422 LEDGER_PERIOD_CLOSED' && !windows.some(w => w.closeSent < a.done && a.sent < w.reopenDone)) {
      found.push(`${a.what} on ${a.date} was refused as closed while no close of its period was under way`)
    }
  }
  return found
}

/** Rows of one tenant that break an invariant; each list must come back empty. */
async function violations(l: Ledger, sql: postgres.Sql | postgres.ReservedSql = owner) {
  const tid = l.t.id
  const rows = await sql<{ id: string, status: 'draft' | 'posted', number: number | null }[]>`
    select id, status, number from journal_entries where tenant_id = ${tid}`
  const inDb = new Map(rows.map(r => [r.id, { status: r.status, number: r.number }]))
  const notAsAnswered = [
    ...[...l.known].filter(([id, k]) => JSON.stringify(inDb.get(id)) !== JSON.stringify(k)).map(([id, k]) => ({ id, answered: k, stored: inDb.get(id) ?? null })),
    ...rows.filter(r => !l.known.has(r.id)).map(r => ({ id: r.id, answered: null, stored: r })),
  ]
  const numbering = await sql`
    select y.id, c.last_number, count(e.id)::int as n, min(e.number) as lo, max(e.number) as hi, count(distinct e.number)::int as distinct_n
    from fiscal_years y
    left join journal_entries e on e.tenant_id = y.tenant_id and e.fiscal_year_id = y.id and e.status = 'posted'
    left join entry_counters c on c.tenant_id = y.tenant_id and c.fiscal_year_id = y.id
    where y.tenant_id = ${tid}
    group by y.id, c.last_number
    having count(e.id) <> coalesce(c.last_number, 0) or (count(e.id) > 0 and (min(e.number) <> 1 or max(e.number) <> count(e.id) or count(distinct e.number) <> count(e.id)))`
  const drafts = await sql`
    select e.id, e.number, p.status as period_status from journal_entries e
    join fiscal_periods p on p.tenant_id = e.tenant_id and e.date between p.start_date and p.end_date
    where e.tenant_id = ${tid} and e.status = 'draft' and (e.number is not null or p.status = 'closed')`
  const unbalanced = await unbalancedPostedEntries(sql, tid)
  const balancesDiffer = await balancesNotMatchingLines(sql, tid)
  const reversals = await sql`
    select r.id, o.id as original, r.status, o.status as original_status, o.reversed_by_id,
      (select count(*)::int from journal_entries x where x.tenant_id = o.tenant_id and x.reversal_of_id = o.id) as reversals_of_original,
      exists (
        select 1 from journal_lines l where l.tenant_id = r.tenant_id and l.entry_id in (r.id, o.id)
        group by l.account_id having sum(l.debit - l.credit) <> 0 or sum(l.base_debit - l.base_credit) <> 0
      ) as not_netted
    from journal_entries r join journal_entries o on o.tenant_id = r.tenant_id and o.id = r.reversal_of_id
    where r.tenant_id = ${tid}
      and (r.status <> 'posted' or o.status <> 'posted' or o.reversed_by_id is distinct from r.id or o.kind = 'reversal'
        or (select count(*) from journal_entries x where x.tenant_id = o.tenant_id and x.reversal_of_id = o.id) <> 1
        or exists (
          select 1 from journal_lines l where l.tenant_id = r.tenant_id and l.entry_id in (r.id, o.id)
          group by l.account_id having sum(l.debit - l.credit) <> 0 or sum(l.base_debit - l.base_credit) <> 0))`
  const reversedByNothing = await sql`
    select o.id from journal_entries o
    where o.tenant_id = ${tid} and o.reversed_by_id is not null
      and not exists (select 1 from journal_entries r where r.tenant_id = o.tenant_id and r.id = o.reversed_by_id and r.reversal_of_id = o.id)`
  // The chain is one order of every tenant-wide change: an entry's posting is the first event
  // that gives it a number (posting it, creating it posted, or reversing into it: the event names
  // the entry as `entryId`, as `reversalId` or as its subject), and the last close or reopen of its
  // period before that event must not be a close.
  const postedWhileClosed = await sql`
    with numbered as (
      select coalesce(a.after->>'entryId', a.after->>'reversalId', a.entity_id) as entry_id, min(a.seq) as seq
      from audit_events a
      where a.tenant_id = ${tid} and a.entity_type = 'journal_entry' and a.after ? 'number'
      group by 1
    ), closes as (
      select a.entity_id as period_id, a.seq, a.action from audit_events a
      where a.tenant_id = ${tid} and a.entity_type = 'fiscal_period' and a.action in ('period.close', 'period.reopen')
    )
    select e.id, e.date, n.seq from journal_entries e
    left join numbered n on n.entry_id = e.id::text
    where e.tenant_id = ${tid} and e.status = 'posted' and (n.seq is null or (
      select c.action from closes c where c.period_id = e.period_id::text and c.seq < n.seq order by c.seq desc limit 1
    ) = 'period.close')`
  const foreign = await sql`
    select 'line → entry' as ref, l.id from journal_lines l where l.tenant_id = ${tid} and not exists (select 1 from journal_entries e where e.tenant_id = ${tid} and e.id = l.entry_id)
    union all select 'line → account', l.id from journal_lines l where l.tenant_id = ${tid} and not exists (select 1 from accounts a where a.tenant_id = ${tid} and a.id = l.account_id)
    union all select 'entry → period', e.id from journal_entries e where e.tenant_id = ${tid} and not exists (select 1 from fiscal_periods p where p.tenant_id = ${tid} and p.id = e.period_id and p.fiscal_year_id = e.fiscal_year_id and e.date between p.start_date and p.end_date)
    union all select 'entry → user', e.id from journal_entries e where e.tenant_id = ${tid} and exists (
      select 1 from unnest(array[e.created_by, e.posted_by]) u(id) where u.id is not null and not exists (select 1 from memberships m where m.tenant_id = ${tid} and m.user_id = u.id))
    union all select 'balance → account, period', b.account_id from account_balances b where b.tenant_id = ${tid} and not exists (
      select 1 from accounts a join fiscal_periods p on p.tenant_id = a.tenant_id where a.tenant_id = ${tid} and a.id = b.account_id and p.id = b.period_id)
    union all select 'counter → year', c.fiscal_year_id from entry_counters c where c.tenant_id = ${tid} and not exists (select 1 from fiscal_years y where y.tenant_id = ${tid} and y.id = c.fiscal_year_id)
    union all select 'audit → entry', a.id from audit_events a
      left join journal_entries e on e.tenant_id = ${tid} and e.id::text = a.entity_id
      left join journal_entries r on r.tenant_id = ${tid} and r.id::text = a.after->>'reversalId'
      where a.tenant_id = ${tid} and a.entity_type = 'journal_entry' and (e.id is null or (a.after ? 'reversalId' and r.id is null))
    union all select 'audit → user', a.id from audit_events a where a.tenant_id = ${tid} and a.actor_type = 'user'
      and not exists (select 1 from memberships m where m.tenant_id = ${tid} and m.user_id = a.actor_id)`
  return { notAsAnswered, numbering, drafts, unbalanced, balancesDiffer, reversals, reversedByNothing, postedWhileClosed, foreign }
}

const clean = { notAsAnswered: [], numbering: [], drafts: [], unbalanced: [], balancesDiffer: [], reversals: [], reversedByNothing: [], postedWhileClosed: [], foreign: [] }

const toCents = (s: string) => BigInt(s.replace('.', ''))

/** The API's own view: the trial balance equals the posted lines per account and balances; the chain verifies. */
async function apiAnomalies(l: Ledger): Promise<string[]> {
  const found: string[] = []
  const [tb, verify] = await Promise.all([
    l.t.asOwner.get('/api/v1/reports/trial-balance?asOf=2026-12-31'),
    l.t.asOwner.get('/api/v1/audit/verify'),
  ])
  if (tb.status !== 200) return [`trial balance answered ${tb.status}: ${tb.text.slice(0, 300)}`]
  if (tb.body.totals.debit !== tb.body.totals.credit) found.push(`trial balance totals differ: ${JSON.stringify(tb.body.totals)}`)
  const nets = await owner<{ account_id: string, net: string }[]>`
    select l.account_id, sum(l.base_debit - l.base_credit)::numeric(20, 2)::text as net
    from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
    where l.tenant_id = ${l.t.id} and e.status = 'posted' group by l.account_id having sum(l.base_debit - l.base_credit) <> 0`
  const fromLines = new Map(nets.map(n => [n.account_id, toCents(n.net)]))
  const fromReport = new Map<string, bigint>((tb.body.rows as { accountId: string, debit: string, credit: string }[]).map(r => [r.accountId, toCents(r.debit) - toCents(r.credit)]))
  for (const id of new Set([...fromLines.keys(), ...fromReport.keys()])) {
    if ((fromLines.get(id) ?? 0n) !== (fromReport.get(id) ?? 0n)) found.push(`trial balance shows ${fromReport.get(id) ?? 0n} cents net for account ${id}, the lines ${fromLines.get(id) ?? 0n}`)
  }
  if (verify.status !== 200 || verify.body.ok !== true) found.push(`audit verify answered ${verify.status}: ${verify.text.slice(0, 300)}`)
  return found
}

async function checkAll() {
  await owner`analyze journal_entries, journal_lines, account_balances, audit_events`
  for (const l of ledgers) {
    expect({ tenant: l.t.slug, anomalies: [...l.anomalies, ...timelineAnomalies(l)] }).toEqual({ tenant: l.t.slug, anomalies: [] })
    expect(await violations(l)).toEqual(clean)
    expect(await apiAnomalies(l)).toEqual([])
    l.anomalies = []
    l.attempts = []
    l.windows = l.windows.filter(w => w.reopenDone === Infinity)
  }
}

/** Reopens what is closed, so that every run starts with all periods open. */
async function settle(l: Ledger) {
  while (l.closed.size) await reopenLatest(l)
}

beforeAll(async () => {
  for (let i = 0; i < TENANTS; i++) {
    const t = await createTenant({ chartOfAccounts: 'standard' })
    // An entry in March makes fiscal year 2026 and its twelve periods; nothing earlier exists, so
    // January may close first.
    const seed = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-03-31', memo: 'seed', post: true, lines: [{ accountCode: '1000', debit: '1.00' }, { accountCode: '3000', credit: '1.00' }] } })
    expect(seed.status, seed.text).toBe(201)
    const periods = await t.asOwner.get('/api/v1/fiscal-periods')
    expect(periods.status).toBe(200)
    const list = periods.body.data as { id: string, startDate: string, status: string }[]
    expect(list[0]).toMatchObject({ startDate: '2026-01-01', status: 'open' })
    const members = await Promise.all(Array.from({ length: WORKERS + 1 }, () => addMember(t, ['accountant'])))
    const ledger: Ledger = {
      t, workers: members.slice(0, WORKERS).map(m => m.client), closer: members[WORKERS]!.client,
      periods: new Map(RACE_MONTHS.map(m => [m, list.find(p => p.startDate === date(m, 1))!.id])),
      closed: new Set(), reversible: [], known: new Map(), windows: [], attempts: [], anomalies: [],
    }
    posted(ledger, seed.body, true)
    ledgers.push(ledger)
  }
}, 120_000)

describe('ledger invariants with 32 concurrent clients', () => {
  it('the checks report a broken ledger (control: triggers off, as the superuser, rolled back)', async () => {
    const [l, other] = [ledgers[0]!, ledgers[1]!]
    expect(await violations(l)).toEqual(clean)
    const db = await owner.reserve()
    try {
      await db`begin`
      await db`set local session_replication_role = replica`
      const [seed] = await db<{ id: string, fiscal_year_id: string, period_id: string }[]>`
        select id, fiscal_year_id, period_id from journal_entries where tenant_id = ${l.t.id}`
      // A draft in January, which then closes; a close of March recorded before the seed's posting.
      await db`
        insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate, status)
        values (${l.t.id}, ${seed!.fiscal_year_id}, ${l.periods.get(1)!}, '2026-01-15', 'control', 'USD', 1, 'draft')`
      await db`update fiscal_periods set status = 'closed' where id = ${l.periods.get(1)!}`
      await db`
        insert into audit_events (tenant_id, seq, actor_type, action, entity_type, entity_id, prev_hash, hash)
        values (${l.t.id}, 0, 'system', 'period.close', 'fiscal_period', ${seed!.period_id}, '', '')`
      // The seed renumbered, created by another tenant's owner, and reversed by nothing.
      await db`update journal_entries set number = 2, created_by = ${other.t.owner.id}, reversed_by_id = gen_random_uuid() where id = ${seed!.id}`
      const broken = await violations(l, db)
      expect(broken.notAsAnswered).toHaveLength(2)
      expect(broken.numbering).toHaveLength(1)
      expect(broken.drafts).toHaveLength(1)
      expect(broken.postedWhileClosed).toEqual([expect.objectContaining({ id: seed!.id })])
      expect(broken.reversedByNothing).toHaveLength(1)
      expect(broken.foreign).toEqual([expect.objectContaining({ ref: 'entry → user', id: seed!.id })])
    }
    finally {
      await db`rollback`
      db.release()
    }
    expect(await violations(l)).toEqual(clean)
    // And the clock: accepted inside a closed window, refused as closed outside every close.
    const windows = [{ month: 1, closeSent: 10, closeDone: 20, reopenSent: 50, reopenDone: 60 }]
    expect(timelineAnomalies({ windows, attempts: [
      { what: 'post', date: '2026-01-05', sent: 25, done: 40, outcome: '201' },
      { what: 'post', date: '2026-01-05', sent: 15, done: 40, outcome: '201' },
      { what: 'post', date: '2026-01-05', sent: 65, done: 70, outcome: '422 LEDGER_PERIOD_CLOSED' },
      { what: 'post', date: '2026-01-05', sent: 55, done: 70, outcome: '422 LEDGER_PERIOD_CLOSED' },
      { what: 'post', date: '2026-02-05', sent: 25, done: 40, outcome: '422 LEDGER_PERIOD_CLOSED' },
    ] })).toEqual([
      'post on 2026-01-05 was accepted (201) while its period was closed',
      'post on 2026-01-05 was refused as closed while no close of its period was under way',
      'post on 2026-02-05 was refused as closed while no close of its period was under way',
    ])
  })

  it(`holds every invariant over ${NUM_RUNS} runs of 4 tenants × 8 clients posting, drafting, reversing and closing`, async () => {
    await fc.assert(fc.asyncProperty(runArb, async (plans) => {
      await Promise.all(ledgers.map((l, i) => Promise.all([
        ...plans[i]!.workers.map((ops, w) => runWorker(l, l.workers[w]!, ops)),
        runCloser(l, plans[i]!.closer),
      ])))
      await checkAll()
      await Promise.all(ledgers.map(settle))
    }), { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true })
    await checkAll()

    // The runs raced what they claim: closes that won and closes refused over drafts, postings
    // refused by a closed period, reversals beaten by another, drafts posted after a wait.
    const counts = Object.fromEntries(tally)
    expect(counts['close 200']).toBeGreaterThan(0)
    expect(counts['close 422 PERIOD_HAS_DRAFTS']).toBeGreaterThan(0)
    expect((counts['post 422 LEDGER_PERIOD_CLOSED'] ?? 0) + (counts['draft 422 LEDGER_PERIOD_CLOSED'] ?? 0)).toBeGreaterThan(0)
    expect(counts['reverse 201']).toBeGreaterThan(NUM_RUNS)
    expect(counts['reverse 409 LEDGER_ALREADY_REVERSED']).toBeGreaterThan(0)
    expect(counts['postDraft 200']).toBeGreaterThan(NUM_RUNS)
    expect(counts['post 201']).toBeGreaterThan(NUM_RUNS * TENANTS * 2)
    console.info(`ledger-concurrency: ${JSON.stringify(counts)}`)
  }, 600_000)
})
