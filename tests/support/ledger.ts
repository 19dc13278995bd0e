/**
 * Ledger factories for tests that build books through the API: accounts, entries (drafts or
 * posted), balances and period closes. They throw on an unexpected status (with the answer's text),
 * so they work under vitest, Playwright and bench alike; tests that expect a refusal send the
 * entry with `sendEntry` and look at the answer themselves.
 */
import type { ApiResponse, Client } from './http'

export type Line = Record<string, unknown>
/** A line as `[accountCode, debit, credit]`, one of the two amounts empty. */
export type Leg = readonly [code: string, debit: string, credit: string]

export interface EntryBody {
  date?: string
  memo?: string
  reference?: string
  currency?: string
  exchangeRate?: string
  lines?: Line[]
  post?: boolean
  [field: string]: unknown
}

/** Cash (1000) against owner's capital (3000) in the standard chart. */
export const cashToCapital = (amount: string): Line[] => [{ accountCode: '1000', debit: amount }, { accountCode: '3000', credit: amount }]

export const linesOf = (legs: readonly Leg[]): Line[] =>
  legs.map(([accountCode, debit, credit]) => (debit ? { accountCode, debit } : { accountCode, credit }))

function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text}`)
}

/** POST /api/v1/journal-entries with defaults (10.00 cash to capital on 2026-03-10), whatever comes back. */
export function sendEntry(c: Client, body: EntryBody = {}, headers?: Record<string, string>) {
  return c.post('/api/v1/journal-entries', { json: { date: '2026-03-10', memo: 'Test entry', lines: cashToCapital('10.00'), ...body }, headers })
}

/** A posted entry (201 expected). */
export async function postEntry(c: Client, body: EntryBody = {}) {
  const res = await sendEntry(c, { post: true, ...body })
  expectStatus(res, 201, 'posting an entry')
  return res.body as { id: string, number: number, status: string, [field: string]: any }
}

/** A new account (201 expected). */
export async function createAccount(c: Client, body: Record<string, unknown>) {
  const res = await c.post('/api/v1/accounts', { json: body })
  expectStatus(res, 201, 'creating an account')
  return res.body as { id: string, code: string, balance: string, [field: string]: any }
}

/** Every account's balance by its code. */
export async function balancesByCode(c: Client): Promise<Record<string, string>> {
  const res = await c.get('/api/v1/accounts')
  expectStatus(res, 200, 'listing accounts')
  return Object.fromEntries((res.body.data as { code: string, balance: string }[]).map(a => [a.code, a.balance]))
}

/** Closes periods 1..`last` of a fiscal year, in order. */
export async function closePeriodsUpTo(c: Client, fiscalYearId: string, last: number): Promise<void> {
  const periods = (await c.get(`/api/v1/fiscal-periods?fiscalYearId=${fiscalYearId}`)).body.data as { id: string, number: number }[]
  for (const p of periods.filter(p => p.number <= last).sort((a, b) => a.number - b.number)) {
    expectStatus(await c.post(`/api/v1/fiscal-periods/${p.id}/close`), 200, `closing period ${p.number}`)
  }
}

/**
 * Books kept by journal entries alone (textbook style, without the sales and purchases modules):
 * new accounts 1190 and 2090 become the AR and AP control accounts, so the standard chart's 1100
 * and 2000 are ordinary receivable and payable accounts that take manual entries.
 */
export async function keepReceivablesByHand(c: Client): Promise<void> {
  const ar = await createAccount(c, { code: '1190', name: 'Accounts receivable (sales ledger)', type: 'asset', subtype: 'receivable' })
  const ap = await createAccount(c, { code: '2090', name: 'Accounts payable (purchase ledger)', type: 'liability', subtype: 'payable' })
  const res = await c.patch('/api/v1/settings', { json: { arControlAccountId: ar.id, apControlAccountId: ap.id } })
  expectStatus(res, 200, 'moving the control accounts')
}
