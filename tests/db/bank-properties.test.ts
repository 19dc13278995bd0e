/**
 * The bank reconciliation's property test (issue 14 point 8: "random import/match/unmatch/
 * categorise/reconcile sequences keep the reconciled balance equal to the GL balance of the
 * reconciled lines and never match a line twice"). Each run sends a burst of 4–8 requests at once
 * through the real API, spread over several signed-in accountants (so over several connections):
 * statement imports (CSV, new lines and sometimes a file sent again), entries posted through the
 * bank's GL account (often of a bank line's exact amount, so they can be matched), matches (the best
 * suggestion, or GL lines picked at random, which are usually refused), categorisations, unmatches
 * and reversals of bank entries — aimed at the same few lines so they race. Then, in one run of four,
 * one request at a time: a new reconciliation up to a random later statement date with the ending
 * balance this test computes from the statement lines (which must complete), or an undo of the
 * latest one; a session an undo reopened gets its ending balance corrected (PATCH) to what its lines
 * add up to now and completes. Refusals (a line
 * matched by a concurrent request, amounts that do not add up, a reconciled line) are expected
 * answers; a 5xx is not. After every run, plain SQL on the tenant's rows checks that
 *   - no GL line is matched twice, and every match is a posted line of the bank's GL account whose
 *     amount (debit − credit) is the match's;
 *   - a bank line is unmatched exactly when it has no matches, and its matches add up to it;
 *   - a reconciled line belongs to a completed reconciliation of its account, dated on or before it;
 *   - the latest completed reconciliation's ending balance = Σ of the reconciled bank lines =
 *     Σ (debit − credit) of the GL lines matched to them (the bank account has no opening balance);
 *   - the trial balance balances.
 * BANK_PROPERTY_RUNS sets the number of runs (default 200).
 * Amounts are built from integer cents into decimal strings, never from floats.
 */
import fc from 'fast-check'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'
import { createBank, SIMPLE_MAPPING, type TestBank } from '../support/bank'
import { unbalancedPostedEntries } from '../support/ledger-checks'

const NUM_RUNS = Number(process.env.BANK_PROPERTY_RUNS ?? 200)
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
const cents = (n: number) => `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`
/** A decimal string in whole cents (the database's 4 places carry zeros beyond the cent). */
function toCents(v: string) {
  const [i, f = ''] = v.replace(/^-/, '').split('.')
  return (v.startsWith('-') ? -1n : 1n) * (BigInt(i!) * 100n + BigInt((f + '00').slice(0, 2)))
}
const DAYS = Array.from({ length: 28 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`)
const WORDS = ['Rent', 'Fees', 'Customer payment', 'Supplier', 'Card', 'Interest']

type Op
  = | { op: 'import', rows: { cents: number, day: number, word: number }[], resend: boolean }
    | { op: 'post', pick: number, cents: number, day: number, exact: boolean }
    | { op: 'match', pick: number, best: boolean, lines: number[] }
    | { op: 'categorize', pick: number, income: boolean }
    | { op: 'unmatch', pick: number }
    | { op: 'reverse', pick: number }

const centsArb = fc.integer({ min: 1, max: 200_000 }).chain(n => fc.constantFrom(n, -n))
const dayArb = fc.integer({ min: 0, max: DAYS.length - 1 })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('import' as const), rows: fc.array(fc.record({ cents: centsArb, day: dayArb, word: fc.nat(WORDS.length - 1) }), { minLength: 1, maxLength: 3 }), resend: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('post' as const), pick: fc.nat(), cents: centsArb, day: dayArb, exact: fc.constantFrom(true, true, true, false) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('match' as const), pick: fc.nat(), best: fc.constantFrom(true, true, false), lines: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('categorize' as const), pick: fc.nat(), income: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unmatch' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
) as fc.Arbitrary<Op>
const closeArb = fc.record({ undo: fc.boolean(), day: dayArb, reconcile: fc.nat(3) })

describe('bank reconciliation (property)', () => {
  let t: TestTenant
  let bank: TestBank
  let clerks: Client[] = []
  let turn = 0
  const clerk = () => clerks[turn++ % clerks.length]!
  let acc: Record<string, string> = {}
  /** What exists so far, for later ops to aim at. */
  const known = { lines: [] as { id: string, amount: string }[], entries: [] as { id: string, lineId: string }[], files: [] as string[] }
  const tally: Record<string, number> = {}
  const count = (k: string) => {
    tally[k] = (tally[k] ?? 0) + 1
  }
  let ref = 0
  const pick = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined)

  beforeAll(async () => {
    t = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
    acc = Object.fromEntries(((await t.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id]))
    bank = await createBank(t.asOwner, 'Operating account')
    clerks = (await Promise.all(Array.from({ length: 6 }, () => addMember(t, ['accountant'])))).map(m => m.client)
  })

  /** Sends one op; answers the HTTP status (a 5xx fails the run). */
  async function send(op: Op): Promise<void> {
    const c = clerk()
    let res: { status: number, body: any, text: string }
    switch (op.op) {
      case 'import': {
        const csv = op.resend && known.files.length
          ? pick(known.files, op.rows.length)!
          : ['Date;Amount;Text;Ref', ...op.rows.map(r => `${DAYS[r.day]};${cents(r.cents)};${WORDS[r.word]};P-${++ref}`)].join('\n')
        known.files.push(csv)
        res = await c.post(`/api/v1/bank-accounts/${bank.id}/imports`, { json: { format: 'csv', content: csv, mapping: { ...SIMPLE_MAPPING, delimiter: ';' } } })
        if (res.status === 201) for (const l of res.body.transactions) known.lines.push({ id: l.id, amount: l.amount })
        break
      }
      case 'post': {
        const target = op.exact ? pick(known.lines, op.pick) : undefined
        const amount = target ? cents(Number(toCents(target.amount))) : cents(op.cents)
        const abs = amount.replace(/^-/, '')
        const inflow = !amount.startsWith('-')
        res = await c.post('/api/v1/journal-entries', {
          json: {
            date: DAYS[op.day], memo: `Bank ${amount}`, post: true,
            lines: [{ accountId: bank.glId, ...(inflow ? { debit: abs } : { credit: abs }) }, { accountCode: inflow ? '4000' : '6000', ...(inflow ? { credit: abs } : { debit: abs }) }],
          },
        })
        if (res.status === 201) known.entries.push({ id: res.body.id, lineId: res.body.lines.find((l: Json) => l.accountId === bank.glId).id })
        break
      }
      case 'match': {
        const line = pick(known.lines, op.pick)
        if (!line) return
        let body: Json | undefined
        if (op.best) {
          const s = await c.get(`/api/v1/bank-transactions/${line.id}/suggestions`)
          expect(s.status, s.text).toBe(200)
          const best = (s.body.data as Json[]).find(x => x.journalLineId)
          if (best) body = { journalLineIds: [best.journalLineId] }
        }
        body ??= { journalLineIds: [...new Set(op.lines.map(n => pick(known.entries, n)?.lineId).filter(Boolean))] }
        if (!body.journalLineIds.length) return
        res = await c.post(`/api/v1/bank-transactions/${line.id}/match`, { json: body })
        break
      }
      case 'categorize': {
        const line = pick(known.lines, op.pick)
        if (!line) return
        res = await c.post(`/api/v1/bank-transactions/${line.id}/categorize`, { json: { accountId: acc[op.income ? '4000' : '6000'], memo: 'Categorised' } })
        break
      }
      case 'unmatch': {
        const line = pick(known.lines, op.pick)
        if (!line) return
        res = await c.post(`/api/v1/bank-transactions/${line.id}/unmatch`, { json: {} })
        break
      }
      case 'reverse': {
        const entry = pick(known.entries, op.pick)
        if (!entry) return
        res = await c.post(`/api/v1/journal-entries/${entry.id}/reverse`, { json: {} })
        break
      }
    }
    expect(res.status, `${op.op}: ${res.text}`).toBeLessThan(500)
    count(`${op.op} ${res.status}${res.status >= 400 ? ` ${res.body?.data?.code ?? ''}` : ''}`)
  }

  /** The latest completed reconciliation's ending balance (0 before the first) and its date. */
  async function latestCompleted() {
    const [r] = await sql<{ id: string, date: string, ending: string }[]>`
      select id, statement_date::text as date, statement_ending_balance::text as ending from bank_reconciliations
       where tenant_id = ${t.id} and bank_account_id = ${bank.id} and status = 'completed'
       order by statement_date desc limit 1`
    return r
  }

  /** Σ of the account's matched (not yet reconciled) bank lines up to a date, in cents. */
  async function matchedUpTo(date: string) {
    const [row] = await sql<{ cleared: string }[]>`
      select coalesce(sum(amount), 0)::text as cleared from bank_transactions
       where tenant_id = ${t.id} and bank_account_id = ${bank.id} and status = 'matched' and date <= ${date}`
    return toCents(row!.cleared)
  }

  async function complete(id: string) {
    const done = await t.asOwner.post(`/api/v1/bank-reconciliations/${id}/complete`, { json: {} })
    expect(done.status, done.text).toBe(200)
    expect(done.body.status).toBe('completed')
    count('reconcile 200')
  }

  /**
   * One request at a time: a session reopened by an undo gets its ending balance corrected to what
   * its lines now add up to and completes; else an undo of the latest, or a new session up to a
   * later day with the balance computed here, which must complete.
   */
  async function close(step: { undo: boolean, day: number }) {
    const [open] = await sql<{ id: string, date: string, opening: string }[]>`
      select id, statement_date::text as date, opening_balance::text as opening from bank_reconciliations
       where tenant_id = ${t.id} and bank_account_id = ${bank.id} and status = 'open'`
    if (open) {
      const ending = cents(Number(toCents(open.opening) + await matchedUpTo(open.date)))
      const patched = await t.asOwner.patch(`/api/v1/bank-reconciliations/${open.id}`, { json: { statementEndingBalance: ending } })
      expect(patched.status, patched.text).toBe(200)
      expect(toCents(patched.body.difference)).toBe(0n)
      return complete(open.id)
    }
    const latest = await latestCompleted()
    if (step.undo) {
      if (!latest) return
      const res = await t.asOwner.post(`/api/v1/bank-reconciliations/${latest.id}/undo`, { json: {} })
      expect(res.status, res.text).toBe(200)
      count('undo 200')
      return
    }
    const date = DAYS[step.day]!
    if (latest && date <= latest.date) return
    const ending = cents(Number(toCents(latest?.ending ?? '0') + await matchedUpTo(date)))
    const created = await t.asOwner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bank.id, statementDate: date, statementEndingBalance: ending } })
    expect(created.status, created.text).toBe(201)
    expect(toCents(created.body.difference)).toBe(0n)
    return complete(created.body.id)
  }

  async function checkInvariants() {
    const twice = await sql`select journal_line_id from bank_matches where tenant_id = ${t.id} group by 1 having count(*) > 1`
    expect(twice, 'a GL line matched twice').toEqual([])
    const badMatch = await sql`
      select m.id from bank_matches m
        join journal_lines l on l.tenant_id = m.tenant_id and l.id = m.journal_line_id
        join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where m.tenant_id = ${t.id}
         and (l.account_id <> ${bank.glId} or e.status <> 'posted' or m.amount <> l.base_debit - l.base_credit)`
    expect(badMatch, 'a match that is not a posted bank GL line of its amount').toEqual([])
    const badLine = await sql`
      select b.id, b.status, b.amount, sum(m.amount) as matched from bank_transactions b
        left join bank_matches m on m.tenant_id = b.tenant_id and m.bank_transaction_id = b.id
       where b.tenant_id = ${t.id}
       group by b.tenant_id, b.id
      having (b.status = 'unmatched') <> (count(m.id) = 0) or (count(m.id) > 0 and sum(m.amount) <> b.amount)`
    expect(badLine, 'a bank line whose matches do not add up to it').toEqual([])
    const badReconciled = await sql`
      select b.id from bank_transactions b
        left join bank_reconciliations r on r.tenant_id = b.tenant_id and r.id = b.reconciliation_id
       where b.tenant_id = ${t.id} and (b.status = 'reconciled') <> (b.reconciliation_id is not null)
          or (b.tenant_id = ${t.id} and b.status = 'reconciled' and (r.status <> 'completed' or b.date > r.statement_date))`
    expect(badReconciled, 'a reconciled line outside a completed reconciliation').toEqual([])
    const [sums] = await sql<{ bank: string, gl: string }[]>`
      select (select coalesce(sum(amount), 0) from bank_transactions where tenant_id = ${t.id} and status = 'reconciled')::text as bank,
             (select coalesce(sum(l.base_debit - l.base_credit), 0) from bank_matches m
                join bank_transactions b on b.tenant_id = m.tenant_id and b.id = m.bank_transaction_id
                join journal_lines l on l.tenant_id = m.tenant_id and l.id = m.journal_line_id
               where m.tenant_id = ${t.id} and b.status = 'reconciled')::text as gl`
    const latest = await latestCompleted()
    expect(toCents(sums!.bank), 'reconciled bank lines against their GL lines').toBe(toCents(sums!.gl))
    expect(toCents(sums!.bank), 'the reconciled balance against the latest ending balance').toBe(toCents(latest?.ending ?? '0'))
    expect(await unbalancedPostedEntries(sql, t.id)).toEqual([])
  }

  it(`keeps the reconciled balance equal to the GL balance of the reconciled lines (${NUM_RUNS} runs)`, { timeout: 40 * 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 8 }), closeArb, async (ops, step) => {
      await Promise.all(ops.map(send))
      if (step.reconcile === 0) await close(step)
      await checkInvariants()
    }), { numRuns: NUM_RUNS })
    // the runs reached every kind of answer that matters
    console.info('bank property tally', tally)
    const seen = (prefix: string) => Object.keys(tally).some(k => k.startsWith(prefix))
    for (const k of ['import 201', 'post 201', 'match 200', 'categorize 200', 'unmatch 200', 'reconcile 200']) expect(seen(k), k).toBe(true)
  })
})
