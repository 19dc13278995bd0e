import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { type RunningServer, startServer } from '../support/server'
import { adminSignIn, call, createTenantOn, hostFor, testSecrets } from './helpers'

let db: TestDatabase
const dataDirs: string[] = []
const running = new Set<RunningServer>()

/** Env like the API tests' global setup: this database, fixed secrets, the configured admin. */
function serverEnv(extra: Record<string, string | undefined> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-restart-'))
  dataDirs.push(dataDir)
  return { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, DATA_DIR: dataDir, ...secrets, ...extra }
}
const secrets = testSecrets()

async function start(env: Record<string, string | undefined>) {
  const server = await startServer(env)
  running.add(server)
  return server
}
async function stop(server: RunningServer) {
  running.delete(server)
  return server.stop()
}

beforeAll(async () => {
  db = await createTestDatabase()
})

afterAll(async () => {
  for (const server of running) await server.stop('SIGKILL')
  await db?.drop()
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

describe('idempotency across a restart', () => {
  it('replays the first response from another server process on the same database', async () => {
    const a = await start(serverEnv())
    const admin = await adminSignIn(a, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD)
    const tenant = await createTenantOn(a, admin)
    const host = hostFor(a, tenant.slug)
    const signIn = await call(a, 'POST', host, '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
    expect(signIn.status).toBe(200)
    const token = signIn.body.accessToken as string
    const key = `restart-${randomBytes(6).toString('hex')}`
    const member = { email: `${randomBytes(4).toString('hex')}@member.test`, name: 'Ida Empotent', roles: ['viewer'] }

    const first = await call(a, 'POST', host, '/api/v1/users', { token, json: member, headers: { 'idempotency-key': key } })
    expect(first.status, first.text).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(await stop(a)).toBe(0)

    const b = await start(serverEnv())
    const hostB = hostFor(b, tenant.slug)
    // The same access token still verifies: same JWT_SECRET, and the membership is re-read from the database.
    const replay = await call(b, 'POST', hostB, '/api/v1/users', { token, json: member, headers: { 'idempotency-key': key } })
    expect(replay.status, replay.text).toBe(201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.body).toEqual(first.body)

    const list = await call(b, 'GET', hostB, `/api/v1/users?q=${encodeURIComponent(member.email)}`, { token })
    expect(list.body.total).toBe(1)
    const all = await call(b, 'GET', hostB, '/api/v1/users', { token })
    expect(all.body.total).toBe(2)

    // The same key with another body is refused, also after the restart.
    const other = await call(b, 'POST', hostB, '/api/v1/users', { token, json: { ...member, roles: ['auditor'] }, headers: { 'idempotency-key': key } })
    expect(other.status).toBe(409)
    expect(other.body.data.code).toBe('IDEMPOTENCY_KEY_REUSED')
    expect(await stop(b)).toBe(0)
  })
})

describe('start-up with DATABASE_URL', () => {
  it('exits non-zero with one line naming JWT_SECRET when it is missing', async () => {
    const { JWT_SECRET: _omitted, ...env } = serverEnv()
    const server = await startServer(env, { waitReady: false })
    running.add(server)
    const code = await new Promise<number | null>(resolve => server.process.once('exit', resolve))
    running.delete(server)
    expect(code).not.toBe(0)
    expect(code).not.toBeNull()
    const lines = server.output().trim().split('\n')
    expect(lines, server.output()).toHaveLength(1)
    expect(lines[0]).toContain('JWT_SECRET')
    expect(lines[0]).not.toContain('ENCRYPTION_KEY')
    expect(lines[0]).not.toContain(secrets.ENCRYPTION_KEY)
  })

  it('exits non-zero with one line naming ENCRYPTION_KEY when it is malformed', async () => {
    const server = await startServer(serverEnv({ ENCRYPTION_KEY: 'too-short' }), { waitReady: false })
    running.add(server)
    const code = await new Promise<number | null>(resolve => server.process.once('exit', resolve))
    running.delete(server)
    expect(code).not.toBe(0)
    const lines = server.output().trim().split('\n')
    expect(lines, server.output()).toHaveLength(1)
    expect(lines[0]).toContain('ENCRYPTION_KEY')
  })
})

describe('behind a proxy (TRUST_PROXY=1)', () => {
  let server: RunningServer
  let tenant: Awaited<ReturnType<typeof createTenantOn>>

  beforeAll(async () => {
    server = await start(serverEnv({ TRUST_PROXY: '1' }))
    const admin = await adminSignIn(server, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD)
    tenant = await createTenantOn(server, admin)
  })
  afterAll(async () => {
    if (server) expect(await stop(server)).toBe(0)
  })

  it('resolves the tenant from X-Forwarded-Host', async () => {
    const forwarded = { 'x-forwarded-host': hostFor(server, tenant.slug) }
    const signIn = await call(server, 'POST', 'paksa-web.internal:3000', '/api/v1/auth/login', { headers: forwarded, json: { email: tenant.owner.email, password: tenant.owner.password } })
    expect(signIn.status, signIn.text).toBe(200)
    const me = await call(server, 'GET', 'paksa-web.internal:3000', '/api/v1/me', { token: signIn.body.accessToken, headers: forwarded })
    expect(me.status).toBe(200)
    expect(me.body.tenant.slug).toBe(tenant.slug)
    // The first of several forwarded hosts is the client's.
    const chained = await call(server, 'GET', 'paksa-web.internal:3000', '/api/v1/me', { token: signIn.body.accessToken, headers: { 'x-forwarded-host': `${hostFor(server, tenant.slug)}, lb.internal` } })
    expect(chained.status).toBe(200)
    // Without the header the Host header still counts.
    const direct = await call(server, 'GET', hostFor(server, tenant.slug), '/api/v1/me', { token: signIn.body.accessToken })
    expect(direct.status).toBe(200)
  })

  it('sends HSTS when the proxy says the request came over TLS', async () => {
    const res = await call(server, 'GET', hostFor(server, tenant.slug), '/api/health', { headers: { 'x-forwarded-proto': 'https' } })
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    const plain = await call(server, 'GET', hostFor(server, tenant.slug), '/api/health')
    expect(plain.headers.get('strict-transport-security')).toBeNull()
  })

  it('counts failed sign-ins by the address the proxy appended: a forged X-Forwarded-For value per attempt still hits the limit (429)', async () => {
    const host = hostFor(server, tenant.slug)
    /** The client may send any X-Forwarded-For; the trusted proxy appends the address it saw. */
    const attempt = (clientWrote: string | undefined, seenByProxy: string, password = 'wrong-password-123') =>
      call(server, 'POST', host, '/api/v1/auth/login', {
        headers: { 'x-forwarded-for': clientWrote ? `${clientWrote}, ${seenByProxy}` : seenByProxy },
        json: { email: tenant.owner.email, password },
      })
    // The owner's usual network: signed in from there before.
    expect((await attempt(undefined, '198.51.100.20', tenant.owner.password)).status).toBe(200)

    for (let i = 1; i <= 10; i++) expect((await attempt(`192.0.2.${i}`, '203.0.113.10')).status, `attempt ${i}`).toBe(401)
    const blocked = await attempt('192.0.2.99', '203.0.113.10')
    expect(blocked.status).toBe(429)
    expect(blocked.body.data.code).toBe('TOO_MANY_ATTEMPTS')
    // Even the right password is refused from that address while the window lasts.
    expect((await attempt('192.0.2.100', '203.0.113.10', tenant.owner.password)).status).toBe(429)
    // The account's budget for strangers is spent too: a new address is refused ...
    expect((await attempt(undefined, '203.0.113.77', tenant.owner.password)).status).toBe(429)
    // ... but the owner's usual network still gets in, whatever the client wrote in front.
    expect((await attempt('203.0.113.10', '198.51.100.20', tenant.owner.password)).status).toBe(200)
  }, 90_000)
})
