/**
 * Readiness: start-up has finished (migrations, the admin bootstrap and the demo seed, not merely
 * the connection), the database answers, and Redis answers when it is configured.
 */
import { sql } from 'drizzle-orm'
import { useCacheStorage } from './cache'
import { useConfig } from './config'
import { startServices } from './startup'

type Check = 'ok' | 'failed' | 'skipped'

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))])
}

export async function checkReadiness(): Promise<{ status: 'ready' | 'unavailable', checks: Record<string, Check> }> {
  const checks: Record<string, Check> = { database: 'failed', redis: 'skipped' }
  try {
    const { db } = await withTimeout(startServices(), 3000)
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
