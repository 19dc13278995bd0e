/**
 * Global setup for the API and database tests: one fresh database and one real server for the run.
 * Values reach the tests through vitest's provide/inject (see tests/support/context.ts).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { createTestDatabase } from './database'
import { startServer } from './server'

export default async function setup(project: TestProject) {
  const db = await createTestDatabase()
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: 'admin@paksa.test',
    ADMIN_PASSWORD: `admin-${randomBytes(9).toString('hex')}`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'paksa-test-data-')),
  }
  const server = await startServer(env)
  project.provide('baseUrl', server.url)
  project.provide('databaseUrl', db.url)
  project.provide('serverEnv', env)
  return async () => {
    await server.stop()
    await db.drop()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    databaseUrl: string
    serverEnv: Record<string, string | undefined>
  }
}
