/**
 * General-ledger invariants held by PostgreSQL itself (SPEC 6.3), proven by going around the
 * application: plain SQL as the app role `paksa_app` with `app.tenant_id` set, exactly as
 * `withTenant` does, on a reserved connection of the test database. Each write below is refused by
 * the database; a control case shows the same write shape commits when it is sound.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Dec } from '../../server/domain/money'
import { createTenant, type TestTenant } from '../support/api'
import { type AppConn, asAppRole } from '../support/app-role'

const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
afterAll(() => sql.end())

type Conn = AppConn
const asApp = asAppRole(sql)

const LEDGER_TABLES = ['accounts', 'fiscal_years', 'fiscal_periods', 'journal_entries', 'journal_lines', 'entry_counters', 'account_balances', 'exchange_rates']

let t: TestTenant
const acc: Record<string, string> = {}
let posted: { id: string, number: number, fiscalYearId: string, periodId: string }
let march: { id: string, fiscalYearId: string }
let january: { id: string }

interface DraftOptions { date?: string, periodId?: string, status?: 'draft' | 'posted', number?: number, reversalOfId?: string }

/** A draft entry written straight into journal_entries; returns its id. */
async function insertEntry(db: Conn, o: DraftOptions = {}): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate, status, number, kind, reversal_of_id)
    values (${t.id}, ${march.fiscalYearId}, ${o.periodId ?? march.id}, ${o.date ?? '2026-03-15'}, 'raw sql', 'USD', 1, ${o.status ?? 'draft'}, ${o.number ?? null},
      ${o.reversalOfId ? 'reversal' : 'manual'}, ${o.reversalOfId ?? null})
    returning id`
  return row!.id
}

async function insertLine(db: Conn, entryId: string, lineNo: number, account: string, debit: string, credit: string, date = '2026-03-15') {
  await db`
    insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
    values (${t.id}, ${entryId}, ${lineNo}, ${account}, ${debit}, ${credit}, ${debit}, ${credit}, ${date})`
}

/** The counter's next number, taken the way the application does, so a sound posting stays gapless. */
async function takeNumber(db: Conn): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    update entry_counters set last_number = last_number + 1 where tenant_id = ${t.id} and fiscal_year_id = ${march.fiscalYearId} returning last_number as n`
  return row!.n
}

async function postRaw(db: Conn, entryId: string, number: number) {
  await db`update journal_entries set status = 'posted', number = ${number}, posted_at = now() where id = ${entryId}`
}

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  const jan = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-01-10', memo: 'January', post: true, lines: [{ accountCode: '1000', debit: '1.00' }, { accountCode: '3000', credit: '1.00' }] } })
  expect(jan.status).toBe(201)
  const res = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-03-10', memo: 'Posted by the API', post: true, lines: [{ accountCode: '1000', debit: '100.00' }, { accountCode: '3000', credit: '100.00' }] } })
  expect(res.status).toBe(201)
  const toReverse = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-03-11', memo: 'Reversed once', post: true, lines: [{ accountCode: '1000', debit: '7.00' }, { accountCode: '3000', credit: '7.00' }] } })
  expect((await t.asOwner.post(`/api/v1/journal-entries/${toReverse.body.id}/reverse`, { json: {} })).status).toBe(201)
  const periods = (await t.asOwner.get('/api/v1/fiscal-periods')).body.data as { id: string, startDate: string, fiscalYearId: string }[]
  const jp = periods.find(p => p.startDate === '2026-01-01')!
  const mp = periods.find(p => p.startDate === '2026-03-01')!
  january = { id: jp.id }
  march = { id: mp.id, fiscalYearId: mp.fiscalYearId }
  expect((await t.asOwner.post(`/api/v1/fiscal-periods/${jp.id}/close`)).status).toBe(200)
  posted = { id: res.body.id, number: res.body.number, fiscalYearId: mp.fiscalYearId, periodId: mp.id }
  for (const a of (await t.asOwner.get('/api/v1/accounts')).body.data) acc[a.code] = a.id
  acc.reversed = toReverse.body.id
})

describe('a posted entry balances (deferred, checked at COMMIT)', () => {
  it('a balanced entry posted by plain SQL commits (control)', async () => {
    const id = await asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['1000']!, '3.00', '0')
      await insertLine(db, id, 2, acc['3000']!, '0', '3.00')
      await postRaw(db, id, await takeNumber(db))
      return id
    }, 'commit')
    const [row] = await sql`select status from journal_entries where id = ${id}`
    expect(row!.status).toBe('posted')
  })

  it('an unbalanced posted entry is refused at COMMIT with LEDGER_UNBALANCED', async () => {
    let beforeCommit = false
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['1000']!, '10.00', '0')
      await insertLine(db, id, 2, acc['3000']!, '0', '9.99')
      await postRaw(db, id, await takeNumber(db))
      beforeCommit = true
    }, 'commit')).rejects.toThrow(/^LEDGER_UNBALANCED/)
    expect(beforeCommit).toBe(true)
    const [n] = await sql`select count(*)::int as n from journal_entries where tenant_id = ${t.id} and memo = 'raw sql' and status = 'posted'`
    expect(n!.n).toBe(1)
  })

  it('an entry unbalanced only in base currency is refused too', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['1000']!, '10.00', '0')
      await db`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
        values (${t.id}, ${id}, 2, ${acc['3000']!}, 0, 10, 0, 10.01, '2026-03-15')`
      await postRaw(db, id, await takeNumber(db))
    }, 'commit')).rejects.toThrow(/^LEDGER_UNBALANCED/)
  })

  it('a posted entry with one line is refused (LEDGER_TOO_FEW_LINES)', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['1000']!, '5.00', '0')
      await postRaw(db, id, await takeNumber(db))
    }, 'commit')).rejects.toThrow(/^LEDGER_TOO_FEW_LINES/)
  })
})

describe('posted entries are immutable', () => {
  const refused = (work: (db: Conn) => Promise<unknown>) => expect(asApp(t.id, work)).rejects.toThrow(/^LEDGER_ALREADY_POSTED/)

  it('the row is there to change (control): the app role sees it and may update a draft', async () => {
    await asApp(t.id, async (db) => {
      const [row] = await db`select memo from journal_entries where id = ${posted.id}`
      expect(row!.memo).toBe('Posted by the API')
      const id = await insertEntry(db)
      const changed = await db`update journal_entries set memo = 'draft edit' where id = ${id} returning id`
      expect(changed).toHaveLength(1)
    })
  })

  it('updating a posted entry is refused', async () => {
    await refused(db => db`update journal_entries set memo = 'rewritten' where id = ${posted.id}`)
    await refused(db => db`update journal_entries set date = '2026-03-12' where id = ${posted.id}`)
    await refused(db => db`update journal_entries set status = 'draft', number = null where id = ${posted.id}`)
  })

  it('deleting a posted entry is refused', async () => {
    await refused(db => db`delete from journal_entries where id = ${posted.id}`)
  })

  it('updating or deleting its lines is refused', async () => {
    await refused(db => db`update journal_lines set debit = 200, base_debit = 200 where entry_id = ${posted.id} and line_no = 1`)
    await refused(db => db`update journal_lines set description = 'note' where entry_id = ${posted.id}`)
    await refused(db => db`delete from journal_lines where entry_id = ${posted.id}`)
  })

  it('adding a line to a posted entry is refused', async () => {
    await refused(db => insertLine(db, posted.id, 3, acc['6100']!, '1.00', '0', '2026-03-10'))
  })

  it('moving a line of a draft into a posted entry is refused', async () => {
    await refused(async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['6100']!, '1.00', '0')
      await db`update journal_lines set entry_id = ${posted.id}, line_no = 9 where entry_id = ${id}`
    })
  })

  it('its lines are unchanged', async () => {
    const lines = await sql`select line_no, debit::text, credit::text from journal_lines where entry_id = ${posted.id} order by line_no`
    expect(lines).toEqual([{ line_no: 1, debit: '100.0000', credit: '0.0000' }, { line_no: 2, debit: '0.0000', credit: '100.0000' }])
  })
})

describe('nothing posts into a closed period', () => {
  it('posting a draft into the closed January is refused (LEDGER_PERIOD_CLOSED)', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db, { date: '2026-01-20', periodId: january.id })
      await insertLine(db, id, 1, acc['1000']!, '2.00', '0', '2026-01-20')
      await insertLine(db, id, 2, acc['3000']!, '0', '2.00', '2026-01-20')
      await postRaw(db, id, await takeNumber(db))
    })).rejects.toThrow(/^LEDGER_PERIOD_CLOSED/)
  })

  it('inserting an entry as posted into the closed January is refused', async () => {
    await expect(asApp(t.id, db => insertEntry(db, { date: '2026-01-20', periodId: january.id, status: 'posted', number: 9000 })))
      .rejects.toThrow(/^LEDGER_PERIOD_CLOSED/)
  })

  it('an open period that does not contain the date does not help', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db, { date: '2026-01-20', periodId: march.id })
      await insertLine(db, id, 1, acc['1000']!, '2.00', '0', '2026-01-20')
      await insertLine(db, id, 2, acc['3000']!, '0', '2.00', '2026-01-20')
      await postRaw(db, id, await takeNumber(db))
    })).rejects.toThrow(/^LEDGER_PERIOD_CLOSED/)
  })
})

describe('a line has exactly one positive side', () => {
  const cases: [string, string, string][] = [['both sides', '5.00', '5.00'], ['neither side', '0', '0'], ['a negative debit', '-5.00', '0'], ['a negative credit', '0', '-5.00'], ['negative and positive', '10.00', '-5.00']]
  for (const [name, debit, credit] of cases) {
    it(`${name} is refused (journal_lines_one_side_check), even on a draft`, async () => {
      await expect(asApp(t.id, async (db) => {
        const id = await insertEntry(db)
        await insertLine(db, id, 1, acc['1000']!, debit, credit)
      })).rejects.toMatchObject({ code: '23514', constraint_name: 'journal_lines_one_side_check' })
    })
  }

  it('one positive side is accepted (control)', async () => {
    await asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['1000']!, '5.00', '0')
    })
  })
})

describe('a line\'s amount in its account\'s own currency (account_amount, migration 0035)', () => {
  // The tenant's base is USD, so is insertEntry's entry. A GBP account may carry pounds on a line of it;
  // no other account (no fixed currency, the base's own, the entry's own) and never against the line's side.
  const fixed: Record<'gbp' | 'usd', string> = { gbp: '', usd: '' }
  beforeAll(async () => {
    for (const [key, code, currency] of [['gbp', '1061', 'GBP'], ['usd', '1062', 'USD']] as const) {
      const res = await t.asOwner.post('/api/v1/accounts', { json: { code, name: `Fixed ${currency}`, type: 'asset', subtype: 'bank', currency } })
      expect(res.status, res.text).toBe(201)
      fixed[key] = res.body.id
    }
    expect((await sql<{ c: string }[]>`select base_currency as c from tenants where id = ${t.id}`)[0]!.c).toBe('USD')
  })
  const line = (db: Conn, entryId: string, lineNo: number, account: string, debit: string, credit: string, own: string | null, rounding = false) => db`
    insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, account_amount, is_rounding, entry_date)
    values (${t.id}, ${entryId}, ${lineNo}, ${account}, ${debit}, ${credit}, ${rounding ? '1.00' : debit}, ${rounding ? '0' : credit}, ${own}, ${rounding}, '2026-03-15')`

  it('is accepted on a GBP account in a USD entry, with the line\'s sign, and posts (control)', async () => {
    await asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await line(db, id, 1, fixed.gbp, '10.00', '0', '8.00')
      await line(db, id, 2, acc['1000']!, '0', '10.00', null)
      await postRaw(db, id, await takeNumber(db))
      await db`set constraints all immediate`
      const [r] = await db<{ own: string }[]>`select account_amount::text as own from journal_lines where entry_id = ${id} and line_no = 1`
      expect(r!.own).toBe('8.0000')
    })
  })

  it('is refused on an account without a fixed currency, on the base currency\'s account and on the entry currency\'s', async () => {
    for (const account of [acc['1000']!, fixed.usd]) {
      await expect(asApp(t.id, async (db) => {
        const id = await insertEntry(db)
        await line(db, id, 1, account, '10.00', '0', '8.00')
      })).rejects.toThrow(/LEDGER_CURRENCY_MISMATCH/)
    }
    await expect(asApp(t.id, async (db) => {
      const [e] = await db<{ id: string }[]>`
        insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate, kind)
        values (${t.id}, ${march.fiscalYearId}, ${march.id}, '2026-03-15', 'raw sql', 'GBP', 1.15, 'manual') returning id`
      await line(db, e!.id, 1, fixed.gbp, '10.00', '0', '10.00')
    })).rejects.toThrow(/LEDGER_CURRENCY_MISMATCH/)
  })

  it('is refused against the line\'s side, as zero, and on a base-only (rounding) line', async () => {
    for (const [debit, credit, own, rounding] of [['10.00', '0', '-8.00', false], ['0', '10.00', '8.00', false], ['10.00', '0', '0', false], ['0', '0', '8.00', true]] as const) {
      await expect(asApp(t.id, async (db) => {
        const id = await insertEntry(db)
        await line(db, id, 1, fixed.gbp, debit, credit, own, rounding)
      }), `${debit}/${credit}/${own}`).rejects.toThrow(/journal_lines_account_amount_check/)
    }
  })

  it('keeps the entry\'s and the account\'s currency, and cannot be set on a posted line', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await line(db, id, 1, fixed.gbp, '10.00', '0', '8.00')
      await db`update journal_entries set currency = 'EUR' where id = ${id}`
    })).rejects.toThrow(/LEDGER_CURRENCY_MISMATCH/)
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await line(db, id, 1, fixed.gbp, '10.00', '0', '8.00')
      await db`update accounts set currency = 'EUR' where id = ${fixed.gbp}`
    })).rejects.toThrow(/LEDGER_CURRENCY_MISMATCH/)
    await expect(asApp(t.id, db => db`update journal_lines set account_amount = 1 where entry_id = ${posted.id} and debit > 0`)).rejects.toThrow(/LEDGER_ALREADY_POSTED|LEDGER_CURRENCY_MISMATCH/)
  })
})

describe('uniqueness', () => {
  it('a second reversal of the same entry is refused (journal_entries_reversal_of_key)', async () => {
    await expect(asApp(t.id, db => insertEntry(db, { reversalOfId: acc.reversed })))
      .rejects.toMatchObject({ code: '23505', constraint_name: 'journal_entries_reversal_of_key' })
  })

  it('a duplicate entry number in one fiscal year is refused (journal_entries_number_key)', async () => {
    await expect(asApp(t.id, async (db) => {
      const id = await insertEntry(db)
      await insertLine(db, id, 1, acc['1000']!, '2.00', '0')
      await insertLine(db, id, 2, acc['3000']!, '0', '2.00')
      await postRaw(db, id, posted.number)
    })).rejects.toMatchObject({ code: '23505', constraint_name: 'journal_entries_number_key' })
  })
})

describe('balances per account and period', () => {
  const balances = () => sql<{ account_id: string, period_id: string, debit: string, credit: string }[]>`
    select account_id, period_id, debit::text, credit::text from account_balances where tenant_id = ${t.id} order by account_id, period_id`
  const fromLines = () => sql<{ account_id: string, period_id: string, debit: string, credit: string }[]>`
    select l.account_id, e.period_id, sum(l.base_debit)::numeric(20,4)::text as debit, sum(l.base_credit)::numeric(20,4)::text as credit
    from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
    where l.tenant_id = ${t.id} and e.status = 'posted' group by l.account_id, e.period_id order by l.account_id, e.period_id`

  it('account_balances follows posting exactly, and equals the posted lines', async () => {
    expect(await balances()).toEqual(await fromLines())
    const before = new Map((await balances()).map(b => [`${b.account_id}/${b.period_id}`, b]))
    await asApp(t.id, async (db) => {
      const id = await insertEntry(db, { date: '2026-03-20' })
      await insertLine(db, id, 1, acc['6100']!, '12.34', '0', '2026-03-20')
      await insertLine(db, id, 2, acc['6100']!, '0.66', '0', '2026-03-20')
      await insertLine(db, id, 3, acc['1000']!, '0', '13.00', '2026-03-20')
      // A draft moves nothing.
      expect(await db`select * from account_balances where account_id = ${acc['6100']!}`).toHaveLength(0)
      await postRaw(db, id, await takeNumber(db))
    }, 'commit')
    const after = await balances()
    expect(after).toEqual(await fromLines())
    const rent = after.find(b => b.account_id === acc['6100'] && b.period_id === march.id)
    expect(rent).toMatchObject({ debit: '13.0000', credit: '0.0000' })
    const cash = after.find(b => b.account_id === acc['1000'] && b.period_id === march.id)!
    const cashBefore = before.get(`${acc['1000']}/${march.id}`)!
    expect([cash.debit, cash.credit]).toEqual([cashBefore.debit, new Dec(cashBefore.credit).plus(13).toFixed(4)])
    expect(after.filter(b => !before.has(`${b.account_id}/${b.period_id}`)).map(b => b.account_id)).toEqual([acc['6100']])
  })
})

describe('row-level security', () => {
  it('with no tenant set the ledger tables show no rows; with the tenant set they do', async () => {
    await asApp(undefined, async (db) => {
      for (const table of LEDGER_TABLES) {
        const [row] = await db`select count(*)::int as n from ${db(table)}`
        expect(row!.n, table).toBe(0)
      }
    })
    await asApp(t.id, async (db) => {
      for (const table of LEDGER_TABLES.filter(x => x !== 'exchange_rates')) {
        const [row] = await db`select count(*)::int as n from ${db(table)}`
        expect(row!.n, table).toBeGreaterThan(0)
      }
    })
  })
})
