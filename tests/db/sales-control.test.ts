/**
 * The control-account rule held by PostgreSQL itself (migration 0016), proven around the
 * application: plain SQL as the app role bound to the tenant. A manual entry's line (no source, or
 * a reversal's source `journal_entry`) on the AR or AP control account is refused by the line
 * guard; the same line from a subledger document (its own source type) is written; the flag keeps
 * to one active receivable and one active payable account per tenant.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { type AppConn, asAppRole } from '../support/app-role'
import { postEntry } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

let t: TestTenant
const acc: Record<string, string> = {}
let march: { id: string, fiscalYearId: string }

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  await postEntry(t.asOwner, { date: '2026-03-10' })
  for (const a of (await t.asOwner.get('/api/v1/accounts')).body.data as { id: string, code: string }[]) acc[a.code] = a.id
  const p = ((await t.asOwner.get('/api/v1/fiscal-periods')).body.data as { id: string, startDate: string, fiscalYearId: string }[]).find(x => x.startDate === '2026-03-01')!
  march = { id: p.id, fiscalYearId: p.fiscalYearId }
})

async function draftWithLine(db: AppConn, account: string, source: { type: string, id: string } | null) {
  const [e] = await db<{ id: string }[]>`
    insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate, source_type, source_id)
    values (${t.id}, ${march.fiscalYearId}, ${march.id}, '2026-03-15', 'raw sql', 'USD', 1, ${source?.type ?? null}, ${source?.id ?? null}) returning id`
  await db`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
    values (${t.id}, ${e!.id}, 1, ${account}, 10, 0, 10, 0, '2026-03-15')`
  return e!.id
}

describe('the database refuses a manual line on a control account', () => {
  it.each([['AR (1100)', '1100'], ['AP (2000)', '2000']])('a manual entry\'s line on %s → LEDGER_CONTROL_ACCOUNT', async (_, code) => {
    await expect(asApp(t.id, db => draftWithLine(db, acc[code]!, null))).rejects.toThrow(/^LEDGER_CONTROL_ACCOUNT: account \d+ is a control account/)
  })

  it('a reversal\'s line (source journal_entry) on it is refused too', async () => {
    await expect(asApp(t.id, db => draftWithLine(db, acc['1100']!, { type: 'journal_entry', id: randomUUID() }))).rejects.toThrow(/^LEDGER_CONTROL_ACCOUNT/)
  })

  it('moving an existing manual line onto it is refused', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await draftWithLine(db, acc['1000']!, null)
      await db`update journal_lines set account_id = ${acc['1100']!} where entry_id = ${id}`
    })).rejects.toThrow(/^LEDGER_CONTROL_ACCOUNT/)
  })

  it('control: a subledger document\'s line (its own source type) and a manual line on another receivable account are written', async () => {
    await asApp(t.id, async (db) => {
      await draftWithLine(db, acc['1100']!, { type: 'invoice', id: randomUUID() })
      await draftWithLine(db, acc['1300']!, null)
    })
  })
})

describe('the flag itself', () => {
  it('at most one AR and one AP control account per tenant', async () => {
    const [other] = await sql<{ id: string }[]>`insert into accounts (tenant_id, code, name, type, subtype) values (${t.id}, '1199', 'Second AR', 'asset', 'receivable') returning id`
    await expect(asApp(t.id, db => db`update accounts set is_control = true where id = ${other!.id}`)).rejects.toThrow(/accounts_control_key/)
  })

  it('only on an active receivable or payable account', async () => {
    await expect(asApp(t.id, db => db`update accounts set is_control = true where id = ${acc['1000']!}`)).rejects.toThrow(/accounts_control_check/)
    await expect(asApp(t.id, db => db`update accounts set is_active = false where id = ${acc['1100']!}`)).rejects.toThrow(/accounts_control_check/)
  })
})
