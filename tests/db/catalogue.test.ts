/**
 * What TypeScript and the database both state, read back from the database catalogue so the two
 * cannot drift: the account subtypes (server/domain/ledger/chart.ts against the
 * accounts_subtype_check constraint) and the error codes the database's invariants raise (every
 * `RAISE EXCEPTION 'CODE: …'` in a function must be a code of ERROR_STATUS, so it answers with
 * the same code and status as the application's own check), and the limits of the organisation's
 * logo (server/domain/settings/logo-rules.ts against the tenant_logos_image_check constraint) on
 * a table row-level security guards like every tenant table.
 */
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { ERROR_STATUS } from '../../server/domain/errors'
import { ACCOUNT_TYPES, SUBTYPES_BY_TYPE } from '../../server/domain/ledger/chart'
import { LOGO_MAX_BYTES, LOGO_MAX_SIDE, LOGO_MEDIA_TYPES } from '../../server/domain/settings/logo-rules'

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

describe('the organisation\'s logo', () => {
  it('has the same limits in TypeScript and in the tenant_logos_image_check constraint', async () => {
    const [row] = await sql<{ def: string }[]>`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'tenant_logos_image_check' and conrelid = 'tenant_logos'::regclass`
    expect(row, 'tenant_logos_image_check exists').toBeDefined()
    const def = row!.def
    expect([...def.matchAll(/'(image\/\w+)'::text/g)].map(m => m[1]).sort()).toEqual([...LOGO_MEDIA_TYPES].sort())
    expect(def).toMatch(new RegExp(`size >= 1\\) AND \\(size <= ${LOGO_MAX_BYTES}\\)`))
    expect(def).toMatch(new RegExp(`width <= ${LOGO_MAX_SIDE}\\)`))
    expect(def).toMatch(new RegExp(`height <= ${LOGO_MAX_SIDE}\\)`))
  })

  it('is kept in a tenant table with row-level security enabled and forced, which the app role cannot update', async () => {
    const [table] = await sql<{ enabled: boolean, forced: boolean }[]>`select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where oid = 'tenant_logos'::regclass`
    expect(table).toEqual({ enabled: true, forced: true })
    const grants = await sql<{ privilege: string }[]>`select privilege_type as privilege from information_schema.role_table_grants where table_name = 'tenant_logos' and grantee = 'paksa_app' order by 1`
    expect(grants.map(g => g.privilege)).toEqual(['DELETE', 'INSERT', 'SELECT'])
  })
})
