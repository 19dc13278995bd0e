/**
 * Report results cached under keys that carry the tenant and its ledger version.
 *
 * The version (table `ledger_versions`) is bumped by database triggers in the same transaction as
 * every change that can alter a report: posting, reversal, account create/rename/reclassify,
 * period and fiscal-year close/reopen, exchange-rate changes (db/migrations/0006). A change thus
 * moves every reader to a new key at the instant it commits, so a cached report is never stale;
 * old keys simply expire.
 *
 * A result is stored only if the version read after computing it equals the version read before:
 * then no change committed meanwhile and the result is exactly the ledger at that version.
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { withTenant, type Tx } from '../../../db/tenant'
import { useCacheStorage, type Entry } from '../../core/cache'

const TTL_SECONDS = 10 * 60

export async function readLedgerVersion(tx: Tx): Promise<number> {
  const rows = await tx.execute<{ version: string }>(sql`select version::text from ledger_versions`)
  return rows[0] ? Number(rows[0].version) : 0
}

export interface CachedReport<T> { value: T, hit: boolean, version: number }

/** Returns the report for `params` from the cache, or computes it (in one tenant transaction) and caches it. */
export async function cachedReport<T>(tenantId: string, name: string, params: Record<string, unknown>, compute: (tx: Tx) => Promise<T>): Promise<CachedReport<T>> {
  const store = useCacheStorage()
  const before = await withTenant(tenantId, readLedgerVersion)
  const digest = createHash('sha256').update(JSON.stringify(Object.entries(params).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))).digest('hex').slice(0, 24)
  const key = `report:${tenantId}:${name}:v${before}:${digest}`
  const hit = await store.getItem<Entry<T>>(key)
  if (hit && hit.expires > Date.now()) return { value: hit.value, hit: true, version: before }
  const { value, after } = await withTenant(tenantId, async tx => ({ value: await compute(tx), after: await readLedgerVersion(tx) }))
  if (after === before) await store.setItem(key, { value, expires: Date.now() + TTL_SECONDS * 1000 }, { ttl: TTL_SECONDS })
  return { value, hit: false, version: after }
}
