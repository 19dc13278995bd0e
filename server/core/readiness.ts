/**
 * Readiness: start-up has finished (migrations, the admin bootstrap and the demo seed, not merely
 * the connection), the database answers, and Redis answers when it is configured.
 */
import { sql } from 'drizzle-orm'
import { useDatabase } from '../../db/client'
import { useCacheStorage } from './cache'
import { useConfig } from './config'

let startup: Promise<unknown> | undefined

/** Start-up (server/boot/startup.ts) registers itself here, so readiness waits for all of it without importing it. */
export function provideStartup(started: Promise<unknown> | undefined): void {
  startup = started
  startup?.catch(() => {})
}

type Check = 'ok' | 'failed' | 'skipped'

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))])
}

export async function checkReadiness(): Promise<{ status: 'ready' | 'unavailable', checks: Record<string, Check> }> {
  const checks: Record<string, Check> = { database: 'failed', redis: 'skipped' }
  try {
    if (!startup) throw new Error('not started')
    await withTimeout(startup, 3000)
    const { db } = await useDatabase()
    await withTimeout(db.execute(sql`select 1`), 3000)
    checks.database = 'ok'
  }
  catch { /* stays failed */ }
  if (useConfig().redisUrl) {
    try {
      await withTimeout(useCacheStorage().setItem('ready:probe', Date.now()), 3000)
      checks.redis = 'ok'
    }
    catch {
      checks.redis = 'failed'
    }
  }
  return { status: Object.values(checks).includes('failed') ? 'unavailable' : 'ready', checks }
}
