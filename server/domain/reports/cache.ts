/**
 * Report results cached under keys that carry the tenant and its ledger version.
 *
 * The version (table `ledger_versions`) is bumped by database triggers in the same transaction as
 * every change that can alter a report: posting, reversal, account create/rename/reclassify,
 * period and fiscal-year close/reopen, exchange-rate changes (db/migrations/0006). A change thus
 * moves every reader to a new key at the instant it commits, so a cached report is never stale;
 * old keys simply expire.
 *
 * The version, the cache lookup and (on a miss) the computation share one repeatable-read
 * transaction: every query in it sees the snapshot the version was read in, so a computed result is
 * exactly the ledger at that version and can always be stored under it. One transaction rather
 * than two also saves a request its round trips (BEGIN, the tenant binding, COMMIT). The version
 * read is sent with BEGIN and the tenant binding (`withTenantFirst`): a cached report costs one
 * PostgreSQL round trip before the cache read, and COMMIT after it.
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { withTenantFirst, type Tx } from '../../../db/tenant'
import { useCacheStorage, type Entry } from '../../core/cache'

const TTL_SECONDS = 10 * 60
/**
 * The answers' layout: raised when a report's JSON changes shape (2: the statements' sections,
 * subtotals and comparisons), so a deploy never serves an answer cached by the code before it.
 */
const LAYOUT = 2

const versionQuery = () => sql`select version::text from ledger_versions`
const versionOf = (rows: { version: string }[]) => rows[0] ? Number(rows[0].version) : 0

export interface CachedReport<T> { value: T, hit: boolean, version: number }

/** Returns the report for `params` from the cache, or computes it (in the same tenant transaction) and caches it. */
export async function cachedReport<T>(tenantId: string, name: string, params: Record<string, unknown>, compute: (tx: Tx) => Promise<T>): Promise<CachedReport<T>> {
  const store = useCacheStorage()
  const digest = createHash('sha256').update(JSON.stringify(Object.entries(params).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))).digest('hex').slice(0, 24)
  return withTenantFirst<{ version: string }, CachedReport<T>>(tenantId, versionQuery(), async (tx, rows) => {
    const version = versionOf(rows)
    const key = `report:${tenantId}:${name}:l${LAYOUT}:v${version}:${digest}`
    const hit = await store.getItem<Entry<T>>(key)
    if (hit && hit.expires > Date.now()) return { value: hit.value, hit: true, version }
    const value = await compute(tx)
    await store.setItem(key, { value, expires: Date.now() + TTL_SECONDS * 1000 }, { ttl: TTL_SECONDS })
    return { value, hit: false, version }
  }, { isolation: 'repeatable read' })
}
