/**
 * Row-level security at the database (SPEC §4): plain SQL against the test database, connected as
 * its owner (a superuser), switching into the app role exactly as `withTenant` does. These tests
 * prove isolation without the server's help: a bug in a route cannot leak what the database hides.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { type AppConn, asAppRole } from '../support/app-role'

const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
afterAll(() => sql.end())

const asApp = asAppRole(sql)

/** Every table in schema public with a tenant_id column: the tables RLS must guard. */
async function tenantTables(): Promise<string[]> {
  const rows = await sql<{ table: string }[]>`
    select c.relname as table
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by 1`
  return rows.map(r => r.table)
}

const ident = (name: string) => sql(name)

let a: TestTenant
let b: TestTenant
let aMember: { id: string }
let bMember: { id: string }

beforeAll(async () => {
  a = await createTenant()
  b = await createTenant()
  aMember = await addMember(a, ['viewer'])
  bMember = await addMember(b, ['accountant'])
  // An idempotency record in each tenant, so that table has rows on both sides too.
  for (const t of [a, b]) {
    const res = await t.asOwner.post('/api/v1/users', { json: { email: `idem-${randomBytes(3).toString('hex')}@rls.test`, name: 'Idem', roles: ['viewer'] }, headers: { 'idempotency-key': randomBytes(8).toString('hex') } })
    expect(res.status).toBe(201)
  }
})

describe('database roles', () => {
  it('the app role paksa_app is neither superuser nor BYPASSRLS, and inherits from no role that is', async () => {
    const [role] = await sql<{ rolsuper: boolean, rolbypassrls: boolean, rolcanlogin: boolean }[]>`
      select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'paksa_app'`
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false })
    const granted = await sql`
      select r.rolname from pg_auth_members m
      join pg_roles r on r.oid = m.roleid
      join pg_roles me on me.oid = m.member
      where me.rolname = 'paksa_app'`
    expect(granted).toEqual([])
  })

  it('the back-office role paksa_platform is neither superuser nor BYPASSRLS', async () => {
    const [role] = await sql`select rolsuper, rolbypassrls from pg_roles where rolname = 'paksa_platform'`
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false })
  })

  it('paksa_app owns no table, view, sequence or schema (FORCE RLS binds owners only through FORCE)', async () => {
    const owned = await sql`
      select c.relname from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'paksa_app'
      union all
      select n.nspname from pg_namespace n join pg_roles r on r.oid = n.nspowner where r.rolname = 'paksa_app'`
    expect(owned).toEqual([])
  })
})

describe('tenant tables', () => {
  it('are found (the catalogue query below is not vacuous)', async () => {
    expect(await tenantTables()).toEqual(expect.arrayContaining(['audit_events', 'events', 'handoff_tokens', 'idempotency_keys', 'memberships', 'refresh_tokens']))
  })

  it('every table with a tenant_id column has RLS enabled, forced and a tenant policy', async () => {
    const rows = await sql<{ table: string, enabled: boolean, forced: boolean }[]>`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname in ${sql(await tenantTables())}`
    const policies = await sql<{ table: string, name: string, permissive: string, roles: string[], cmd: string, qual: string | null, with_check: string | null }[]>`
      select tablename as table, policyname as name, permissive, roles::text[] as roles, cmd, qual, with_check
      from pg_policies where schemaname = 'public'`
    const guardsTenant = (expr: string | null) => !!expr && /\btenant_id\b/.test(expr) && /app\.tenant_id|app_current_tenant\(\)/.test(expr)
    const problems: string[] = []
    for (const { table, enabled, forced } of rows) {
      if (!enabled) problems.push(`${table}: row level security not enabled`)
      if (!forced) problems.push(`${table}: row level security not forced`)
      const own = policies.filter(p => p.table === table)
      const isolating = own.some(p => p.permissive === 'PERMISSIVE' && p.cmd === 'ALL' && guardsTenant(p.qual) && guardsTenant(p.with_check ?? p.qual))
      if (!isolating) problems.push(`${table}: no policy with tenant_id = app.tenant_id for USING and WITH CHECK`)
      // Permissive policies are OR-ed: any other one that reaches the app role must guard the tenant too.
      for (const p of own.filter(p => p.permissive === 'PERMISSIVE' && (p.roles.includes('public') || p.roles.includes('paksa_app')))) {
        if (p.cmd !== 'INSERT' && !guardsTenant(p.qual)) problems.push(`${table}: policy ${p.name} lets the app role read across tenants`)
        if (p.with_check && !guardsTenant(p.with_check)) problems.push(`${table}: policy ${p.name} lets the app role write across tenants`)
      }
    }
    expect(problems).toEqual([])
  })

  it('show no row to paksa_app when no app.tenant_id is set, though rows exist', async () => {
    const tables = await tenantTables()
    const readable = await sql<{ table: string }[]>`
      select t as table from unnest(${tables}::text[]) t where has_table_privilege('paksa_app', t, 'SELECT')`
    expect(readable.map(r => r.table)).toEqual(expect.arrayContaining(['audit_events', 'idempotency_keys', 'memberships', 'refresh_tokens']))
    for (const { table } of readable) {
      const { n: total } = (await sql<{ n: number }[]>`select count(*)::int as n from ${ident(table)}`)[0]!
      if (['audit_events', 'idempotency_keys', 'memberships', 'refresh_tokens'].includes(table)) expect(total, table).toBeGreaterThan(0)
      for (const setting of [undefined, '']) {
        const { n } = (await asApp(setting, db => db<{ n: number }[]>`select count(*)::int as n from ${ident(table)}`))[0]!
        expect(n, `${table} with app.tenant_id ${JSON.stringify(setting)}`).toBe(0)
      }
    }
  })

  it('show paksa_app only the current tenant\'s rows: tenant B is invisible while A is set', async () => {
    const tables = await tenantTables()
    const readable = (await sql<{ table: string }[]>`
      select t as table from unnest(${tables}::text[]) t where has_table_privilege('paksa_app', t, 'SELECT')`).map(r => r.table)
    for (const table of readable) {
      const { n: ownerCountA } = (await sql<{ n: number }[]>`select count(*)::int as n from ${ident(table)} where tenant_id = ${a.id}`)[0]!
      const seen = await asApp(a.id, async db => ({
        tenants: (await db<{ tenant_id: string }[]>`select distinct tenant_id from ${ident(table)}`).map(r => r.tenant_id),
        total: (await db<{ n: number }[]>`select count(*)::int as n from ${ident(table)}`)[0]!.n,
        ofB: (await db<{ n: number }[]>`select count(*)::int as n from ${ident(table)} where tenant_id = ${b.id}`)[0]!.n,
      }))
      expect(seen.ofB, table).toBe(0)
      expect(seen.total, table).toBe(ownerCountA)
      expect(seen.tenants.every(t => t === a.id), table).toBe(true)
    }
    const members = await asApp(a.id, db => db<{ user_id: string }[]>`select user_id from memberships`)
    expect(members.map(m => m.user_id)).toEqual(expect.arrayContaining([a.owner.id, aMember.id]))
    expect(members.map(m => m.user_id)).not.toContain(bMember.id)
  })

  it('refuse an INSERT with tenant B\'s id while A is set (RLS WITH CHECK violation)', async () => {
    const attempts: [string, (db: AppConn) => Promise<unknown>][] = [
      ['memberships', db => db`insert into memberships (tenant_id, user_id, roles) values (${b.id}, ${aMember.id}, '{owner}')`],
      ['refresh_tokens', db => db`insert into refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at)
        values (${b.id}, ${b.owner.id}, gen_random_uuid(), 'x', now() + interval '1 day')`],
      ['idempotency_keys', db => db`insert into idempotency_keys (tenant_id, principal, method, path, key, request_hash)
        values (${b.id}, 'user:x', 'POST', '/api/v1/users', 'k', 'h')`],
      ['audit_events', db => db`insert into audit_events (tenant_id, seq, actor_type, action, entity_type, prev_hash, hash)
        values (${b.id}, 0, 'system', 'forged', 'test', '', '')`],
    ]
    for (const [table, insert] of attempts) {
      await expect(asApp(a.id, insert), table).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/row-level security/) })
    }
    // The same insert for the current tenant is allowed (so the refusal above is about the tenant).
    const ok = await asApp(a.id, db => db`insert into memberships (tenant_id, user_id, roles) values (${a.id}, ${bMember.id}, '{viewer}') returning user_id`)
    expect(ok).toHaveLength(1)
    const { n } = (await sql<{ n: number }[]>`select count(*)::int as n from memberships where tenant_id = ${b.id} and user_id = ${aMember.id}`)[0]!
    expect(n).toBe(0)
  })

  it('let an UPDATE or DELETE aimed at tenant B\'s rows affect 0 rows while A is set', async () => {
    const bRowsBefore = await sql`select * from memberships where tenant_id = ${b.id} order by user_id`
    const tokensBefore = await sql`select * from refresh_tokens where tenant_id = ${b.id} order by id`
    const counts = await asApp(a.id, async db => ({
      update: (await db`update memberships set roles = '{owner}' where tenant_id = ${b.id}`).count,
      updateById: (await db`update memberships set roles = '{owner}' where user_id = ${bMember.id}`).count,
      revoke: (await db`update refresh_tokens set revoked_at = now() where tenant_id = ${b.id}`).count,
      delete: (await db`delete from memberships where tenant_id = ${b.id}`).count,
      deleteTokens: (await db`delete from refresh_tokens where user_id = ${b.owner.id}`).count,
      deleteKeys: (await db`delete from idempotency_keys where tenant_id = ${b.id}`).count,
      // Positive control: the same statement reaches A's own rows.
      own: (await db`update memberships set roles = roles where tenant_id = ${a.id}`).count,
    }))
    expect(counts).toMatchObject({ update: 0, updateById: 0, revoke: 0, delete: 0, deleteTokens: 0, deleteKeys: 0 })
    expect(counts.own).toBeGreaterThanOrEqual(2)
    expect(await sql`select * from memberships where tenant_id = ${b.id} order by user_id`).toEqual(bRowsBefore)
    expect(await sql`select * from refresh_tokens where tenant_id = ${b.id} order by id`).toEqual(tokensBefore)
  })

  it('refuse moving one of A\'s rows into tenant B (WITH CHECK on UPDATE)', async () => {
    await expect(asApp(a.id, db => db`update memberships set tenant_id = ${b.id} where user_id = ${aMember.id}`))
      .rejects.toMatchObject({ code: '42501' })
  })
})

describe('platform tables seen by paksa_app', () => {
  it('users shows only the members of the current tenant (and nobody without a tenant)', async () => {
    const expected = (await sql<{ user_id: string }[]>`select user_id from memberships where tenant_id = ${a.id} order by user_id`).map(r => r.user_id)
    const seen = await asApp(a.id, db => db<{ id: string }[]>`select id from users order by id`)
    expect(seen.map(r => r.id)).toEqual(expected)
    expect(seen.map(r => r.id)).not.toContain(b.owner.id)
    expect(await asApp(a.id, db => db`select id from users where id = ${bMember.id}`)).toEqual([])
    expect(await asApp(undefined, db => db`select id from users`)).toEqual([])
    const { n: everyone } = (await sql<{ n: number }[]>`select count(*)::int as n from users`)[0]!
    expect(everyone).toBeGreaterThan(expected.length)
  })

  it('users: paksa_app cannot change anyone\'s e-mail, nor another member\'s row', async () => {
    await expect(asApp(a.id, async (db) => {
      await db`select set_config('app.user_id', ${aMember.id}, true)`
      return db`update users set email = 'taken@over.test' where id = ${aMember.id}`
    })).rejects.toMatchObject({ code: '42501' })
    const changed = await asApp(a.id, async (db) => {
      await db`select set_config('app.user_id', ${aMember.id}, true)`
      return (await db`update users set name = 'Hijacked' where id = ${a.owner.id}`).count
    })
    expect(changed).toBe(0)
  })

  it('tenants shows only the current tenant\'s row', async () => {
    const seen = await asApp(a.id, db => db<{ id: string }[]>`select id from tenants`)
    expect(seen.map(r => r.id)).toEqual([a.id])
    expect(await asApp(undefined, db => db`select id from tenants`)).toEqual([])
  })

  it('tenants: paksa_app renames its own tenant only, and changes nothing else on the row', async () => {
    const renamed = await asApp(a.id, async db => (await db`update tenants set name = name where id = ${a.id}`).count)
    expect(renamed).toBe(1)
    expect(await asApp(a.id, async db => (await db`update tenants set name = 'Hijacked' where id = ${b.id}`).count)).toBe(0)
    await expect(asApp(a.id, db => db`update tenants set slug = 'taken' where id = ${a.id}`)).rejects.toMatchObject({ code: '42501' })
    await expect(asApp(a.id, db => db`update tenants set status = 'active' where id = ${a.id}`)).rejects.toMatchObject({ code: '42501' })
    await expect(asApp(undefined, async db => (await db`update tenants set name = 'Nobody' where id = ${a.id}`).count)).resolves.toBe(0)
  })

  it('paksa_app cannot read platform_admins or platform_audit_events (permission denied)', async () => {
    const { n } = (await sql<{ n: number }[]>`select count(*)::int as n from platform_admins`)[0]!
    expect(n).toBeGreaterThan(0)
    await expect(asApp(a.id, db => db`select * from platform_admins`)).rejects.toMatchObject({ code: '42501' })
    await expect(asApp(a.id, db => db`select * from platform_audit_events`)).rejects.toMatchObject({ code: '42501' })
  })

  it('app_ensure_user (security definer) refuses to run without a tenant', async () => {
    await expect(asApp(undefined, db => db`select * from app_ensure_user('ghost@rls.test', 'Ghost', null)`))
      .rejects.toMatchObject({ code: '42501' })
  })
})
