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
 * than two also saves a request its round trips (BEGIN, the tenant binding, COMMIT). The route owns
 * that transaction: it opens it with `REPORT_READ` (its unit's `read`, server/utils/tenant-write.ts),
 * which asks for repeatable read and sends the version read with BEGIN and the tenant binding, so a
 * cached report costs one PostgreSQL round trip before the cache read, and COMMIT after it:
 *
 *   read((tx, version) => cachedReport(tx, version, { tenantId, name, params }, compute), REPORT_READ)
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { ReadOptions, Tx } from '../../../db/tenant'
import { useCacheStorage, type Entry } from '../../core/cache'

const TTL_SECONDS = 10 * 60
/**
 * The answers' layout: raised when a report's JSON changes shape (2: the statements' sections,
 * subtotals and comparisons), so a deploy never serves an answer cached by the code before it.
 */
const LAYOUT = 2

/** The ledger version row (none before the tenant's first change: version 0). */
export type LedgerVersionRow = { version: string }

/**
 * How a cached report's transaction is opened: repeatable read, the ledger version read sent with
 * BEGIN and the tenant binding (its rows are `cachedReport`'s `version`).
 */
export const REPORT_READ = {
  isolation: 'repeatable read',
  first: sql<LedgerVersionRow>`select version::text from ledger_versions`,
} as const satisfies ReadOptions<LedgerVersionRow>

const versionOf = (rows: LedgerVersionRow[]) => rows[0] ? Number(rows[0].version) : 0

export interface CachedReport<T> { value: T, hit: boolean, version: number }

/** What a cached report is: its tenant, its name (`trial-balance`, `dashboard`) and its parameters. */
export interface ReportKey { tenantId: string, name: string, params: Record<string, unknown> }

/**
 * Returns the report of `key` from the cache, or computes it (in the same transaction) and caches
 * it. `tx` and `version` come from a transaction opened with `REPORT_READ`.
 */
export async function cachedReport<T>(tx: Tx, version: LedgerVersionRow[], key: ReportKey, compute: (tx: Tx) => Promise<T>): Promise<CachedReport<T>> {
  const store = useCacheStorage()
  const digest = createHash('sha256').update(JSON.stringify(Object.entries(key.params).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))).digest('hex').slice(0, 24)
  const at = versionOf(version)
  const cacheKey = `report:${key.tenantId}:${key.name}:l${LAYOUT}:v${at}:${digest}`
  const hit = await store.getItem<Entry<T>>(cacheKey)
  if (hit && hit.expires > Date.now()) return { value: hit.value, hit: true, version: at }
  const value = await compute(tx)
  await store.setItem(cacheKey, { value, expires: Date.now() + TTL_SECONDS * 1000 }, { ttl: TTL_SECONDS })
  return { value, hit: false, version: at }
}
