/**
 * The mail outbox without an SMTP relay (SPEC 6.13): with no SMTP_URL, mail is not lost and not
 * sent; the mail job marks it `held`, where the back-office outbox viewer shows it.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { type RunningServer, startServer } from '../support/server'
import { adminSignIn, call, createTenantOn, hostFor, testSecrets } from './helpers'

let db: TestDatabase
let server: RunningServer
let sql: postgres.Sql
let dataDir: string
const secrets = testSecrets()

beforeAll(async () => {
  db = await createTestDatabase()
  sql = postgres(db.url, { max: 2, onnotice: () => {} })
  dataDir = mkdtempSync(join(tmpdir(), 'paksa-mail-outbox-'))
  server = await startServer({ DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, DATA_DIR: dataDir, WORKER_IN_PROCESS: '1', JOB_LOCK_SECONDS: '5', ...secrets })
})

afterAll(async () => {
  await server?.stop('SIGKILL')
  await sql?.end()
  await db?.drop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

async function outboxRow(tenantId: string, kind: string) {
  const [row] = await sql<{ status: string, subject: string, text: string, attempts: number, sent_at: Date | null }[]>`
    select status, subject, text, attempts, sent_at from mail_outbox where tenant_id = ${tenantId} and kind = ${kind}`
  return row
}

describe('mail without SMTP_URL', () => {
  it('holds an invitation mail in the outbox (status held, rendered subject and link), never marked sent', async () => {
    const admin = await adminSignIn(server, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD)
    const tenant = await createTenantOn(server, admin)
    const host = hostFor(server, tenant.slug)
    const signIn = await call(server, 'POST', host, '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
    expect(signIn.status).toBe(200)
    const email = `held-${randomBytes(4).toString('hex')}@mail.test`
    const added = await call(server, 'POST', host, '/api/v1/users', { token: signIn.body.accessToken, json: { email, name: 'Held', roles: ['viewer'] } })
    expect(added.status, added.text).toBe(201)

    await expect.poll(async () => (await outboxRow(tenant.id, 'invitation'))?.status, { timeout: 30_000, interval: 250 }).toBe('held')
    const row = (await outboxRow(tenant.id, 'invitation'))!
    expect(row.subject).toBe(`You are invited to Tenant ${tenant.slug} on Paksa Financial`)
    expect(row.text).toContain(`http://${tenant.slug}.localhost:${server.port}/invitation/`)
    expect(row.sent_at).toBeNull()

    // The held mail's link still works: the invitation itself is unaffected by the missing relay.
    const token = /\/invitation\/([A-Za-z0-9_-]{43})/.exec(row.text)![1]!
    const info = await call(server, 'GET', host, `/api/v1/invitations/${token}`)
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ email, newAccount: true })
  })

  it('holds a password reset mail the same way, and still answers 202', async () => {
    const admin = await adminSignIn(server, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD)
    const tenant = await createTenantOn(server, admin)
    const res = await call(server, 'POST', hostFor(server, tenant.slug), '/api/v1/auth/password-reset', { json: { email: tenant.owner.email } })
    expect(res.status).toBe(202)
    await expect.poll(async () => (await outboxRow(tenant.id, 'password_reset'))?.status, { timeout: 30_000, interval: 250 }).toBe('held')
  })
})
