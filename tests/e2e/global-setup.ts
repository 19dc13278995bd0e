/**
 * Global setup for the browser tests: a fresh database (DATABASE_URL's server, or an embedded
 * PostgreSQL), the real built server on a free port, and the tenant `acme` with a known owner,
 * created through the back-office API. The returned function is Playwright's global teardown.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createTestDatabase } from '../support/database'
import { ROOT, startServer, type RunningServer } from '../support/server'
import { CONTEXT_VARIABLE, type E2eContext } from './support/context'
import { requestJson } from './support/http'

async function createAcme(port: number, admin: E2eContext['admin']): Promise<E2eContext['tenant']> {
  const adminHost = `admin.localhost:${port}`
  const login = await requestJson(port, adminHost, 'POST', '/api/v1/admin/auth/login', { json: admin })
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${login.text}`)
  const owner = { email: 'owner@acme.test', name: 'Olivia Owner', password: `Owner-${randomBytes(9).toString('base64url')}` }
  const created = await requestJson(port, adminHost, 'POST', '/api/v1/admin/tenants', {
    token: login.body.accessToken,
    json: { slug: 'acme', name: 'Acme Ltd', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard', owner },
  })
  if (created.status !== 201) throw new Error(`creating tenant acme failed: ${created.status} ${created.text}`)
  return { id: created.body.id, slug: 'acme', name: 'Acme Ltd', owner }
}

export default async function globalSetup() {
  const db = await createTestDatabase()
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-e2e-data-'))
  const admin = { email: 'admin@paksa.test', password: `admin-${randomBytes(9).toString('hex')}` }
  let server: RunningServer | undefined
  try {
    server = await startServer({
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL,
      WORKER_IN_PROCESS: '1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      DATA_DIR: dataDir,
    })
    const tenant = await createAcme(server.port, admin)
    const context: E2eContext = { port: server.port, admin, tenant, databaseUrl: db.url }
    process.env[CONTEXT_VARIABLE] = JSON.stringify(context)
  }
  catch (error) {
    await server?.stop()
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }

  const running = server
  return async () => {
    await running.stop()
    // The server's own log, for reading after a failed run (the tests' output dir is test-results/e2e).
    const results = resolve(ROOT, 'test-results')
    mkdirSync(results, { recursive: true })
    writeFileSync(join(results, 'e2e-server.log'), running.output())
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
