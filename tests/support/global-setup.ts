/**
 * Global setup for the API and database tests: one fresh database and one real server for the run.
 * Values reach the tests through vitest's provide/inject (see tests/support/context.ts).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { createTestDatabase } from './database'
import { startServer } from './server'
import { startSmtpSink } from './smtp'
import { undocumentedAnswers } from './status-coverage'

export default async function setup(project: TestProject) {
  const db = await createTestDatabase()
  const smtp = await startSmtpSink()
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: 'admin@paksa.test',
    ADMIN_PASSWORD: `admin-${randomBytes(9).toString('hex')}`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'paksa-test-data-')),
    SMTP_URL: smtp.url,
    // The shared test server runs the jobs itself, on Redis when REDIS_URL is given (CI) or on
    // BullMQ's PostgreSQL backend; separate worker processes are tested in tests/integration.
    WORKER_IN_PROCESS: '1',
    JOB_LOCK_SECONDS: '5',
  }
  const server = await startServer(env)
  const statusLogDir = mkdtempSync(join(tmpdir(), 'paksa-statuses-'))
  project.provide('baseUrl', server.url)
  project.provide('statusLogDir', statusLogDir)
  project.provide('databaseUrl', db.url)
  project.provide('serverEnv', env)
  project.provide('mailDir', smtp.dir)
  return async () => {
    await server.stop()
    await smtp.stop()
    await db.drop()
    const undocumented = undocumentedAnswers(statusLogDir)
    rmSync(statusLogDir, { recursive: true, force: true })
    if (undocumented.length) {
      // vitest only logs an error thrown by a global teardown ("error during close") and keeps the
      // tests' exit code, so the failure is set on the process itself: `vitest run` exits 1.
      process.exitCode = 1
      throw new Error(`The API answered what the OpenAPI document does not say:\n${undocumented.join('\n')}`)
    }
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    databaseUrl: string
    serverEnv: Record<string, string | undefined>
    /** Where the test SMTP server writes what it receives (tests/support/smtp.ts). */
    mailDir: string
    /** Where tests/support/api.ts records every answer's status (tests/support/status-coverage.ts). */
    statusLogDir: string
  }
}
