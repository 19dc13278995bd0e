/**
 * What TypeScript and the database both state, read back from the database catalogue so the two
 * cannot drift: the account subtypes (server/domain/ledger/chart.ts against the
 * accounts_subtype_check constraint) and the error codes the database's invariants raise (every
 * `RAISE EXCEPTION 'CODE: …'` in a function must be a code of ERROR_STATUS, so it answers with
 * the same code and status as the application's own check).
 */
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { ERROR_STATUS } from '../../server/domain/errors'
import { ACCOUNT_TYPES, SUBTYPES_BY_TYPE } from '../../server/domain/ledger/chart'

const sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })
afterAll(() => sql.end())

describe('the account subtypes', () => {
  it('are the same in TypeScript and in the accounts_subtype_check constraint, type by type', async () => {
    const [row] = await sql<{ def: string }[]>`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'accounts_subtype_check' and conrelid = 'accounts'::regclass`
    expect(row, 'accounts_subtype_check exists').toBeDefined()
    // PostgreSQL prints `((type = 'asset'::text) AND (subtype = ANY (ARRAY['cash'::text, …])))` per type.
    const inDatabase: Record<string, string[]> = {}
    for (const [, type, list] of row!.def.matchAll(/type = '(\w+)'::text\) AND \(subtype = ANY \(ARRAY\[([^\]]+)\]/g)) {
      inDatabase[type!] = [...list!.matchAll(/'(\w+)'::text/g)].map(m => m[1]!).sort()
    }
    const inTypeScript = Object.fromEntries(ACCOUNT_TYPES.map(t => [t, [...SUBTYPES_BY_TYPE[t]].sort()]))
    expect(Object.keys(inDatabase).length, row!.def).toBe(ACCOUNT_TYPES.length)
    expect(inDatabase).toEqual(inTypeScript)
  })
})

describe('the error codes the database raises', () => {
  const raised = async () => {
    const rows = await sql<{ name: string, src: string }[]>`
      select p.proname as name, p.prosrc as src from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prosrc ilike '%raise exception%'`
    return rows.flatMap(r => [...r.src.matchAll(/RAISE EXCEPTION '([A-Z][A-Z_]+):/g)].map(m => ({ fn: r.name, code: m[1]! })))
  }

  it('are found (the catalogue read works)', async () => {
    const codes = (await raised()).map(r => r.code)
    expect(codes).toContain('LEDGER_UNBALANCED')
    expect(codes).toContain('LEDGER_PERIOD_CLOSED')
    expect(codes).toContain('LEDGER_ALREADY_POSTED')
  })

  it('are all codes of ERROR_STATUS, so each refusal has one code and one status whichever layer refuses', async () => {
    const unknown = (await raised()).filter(r => !ERROR_STATUS[r.code]).map(r => `${r.fn}: ${r.code}`)
    expect(unknown).toEqual([])
  })

  it('no longer include LEDGER_POSTED_IMMUTABLE (a posted entry is LEDGER_ALREADY_POSTED everywhere)', async () => {
    expect((await raised()).filter(r => r.code === 'LEDGER_POSTED_IMMUTABLE')).toEqual([])
  })
})
