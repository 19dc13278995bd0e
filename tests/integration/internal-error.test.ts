import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { type RunningServer, startServer } from '../support/server'
import { adminSignIn, call, createTenantOn, hostFor, type Reply, testSecrets } from './helpers'

/**
 * An unexpected failure (here: a table the server needs is gone) must answer a bare 500 in the
 * stable error shape, with no stack, SQL or table names, and log the details with the request id.
 * It needs a database of its own, which it breaks on purpose.
 */
describe('an unexpected server failure', () => {
  const secrets = testSecrets()
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-500-'))
  let db: TestDatabase
  let server: RunningServer
  let adminToken: string

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startServer({ DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, DATA_DIR: dataDir, ...secrets })
    adminToken = await adminSignIn(server, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD)
    await createTenantOn(server, adminToken)
    const sql = postgres(db.url, { max: 1, onnotice: () => {} })
    await sql.unsafe('alter table tenants rename to tenants_gone')
    await sql.end()
  })

  afterAll(async () => {
    await server?.stop()
    await db?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** The server's log lines of a request: the error line may be written just after the answer, so it is waited for (2 s at most). */
  async function loggedFor(requestId: string, expected: RegExp): Promise<string> {
    let logged = ''
    for (let i = 0; i < 40; i++) {
      logged = server.output().split('\n').filter(l => l.includes(requestId)).join('\n')
      if (expected.test(logged)) break
      await new Promise(r => setTimeout(r, 50))
    }
    return logged
  }

  async function expectBare500(res: Reply) {
    expect(res.status, res.text).toBe(500)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(res.body).toEqual({ statusCode: 500, statusMessage: 'Internal error', message: 'Internal error', data: { code: 'INTERNAL' } })
    expect(res.text).not.toMatch(/stack|tenants_gone|relation|select|postgres/i)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    const requestId = res.headers.get('x-request-id')
    expect(requestId).toBeTruthy()
    // The details are in the log, under the same request id.
    expect(await loggedFor(requestId!, /tenants_gone|tenants/)).toMatch(/tenants_gone|tenants/)
  }

  it('answers a bare 500 in the stable shape when a route handler fails', async () => {
    await expectBare500(await call(server, 'GET', hostFor(server, 'admin'), '/api/v1/admin/tenants', { token: adminToken }))
  })

  it('answers a bare 500 in the stable shape when tenant resolution (middleware) fails', async () => {
    await expectBare500(await call(server, 'GET', hostFor(server, 'notcachedyet'), '/api/v1/me'))
  })

  it('logs the failure without SQL parameters, query strings or the token in the path', async () => {
    const token = 'tok-Secret_abcdefghijklmnop'
    const res = await call(server, 'GET', hostFor(server, 'leakyslug'), `/api/v1/invitations/${token}?email=who%40x.test`)
    await expectBare500(res)
    const logged = await loggedFor(res.headers.get('x-request-id')!, /invitations/)
    expect(logged).toContain('/api/v1/invitations/redacted')
    // The slug is the failed statement's parameter; the query string and token are the client's.
    expect(logged).not.toMatch(/tok-Secret|who%40x|leakyslug|params:/)
  })

  it('still answers /api/health', async () => {
    expect((await call(server, 'GET', `127.0.0.1:${server.port}`, '/api/health')).status).toBe(200)
  })
})
