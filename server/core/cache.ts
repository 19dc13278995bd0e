/**
 * One key-value store for caches and counters: Redis when REDIS_URL is set (shared by every web
 * replica, so an invalidation is seen everywhere at once), process memory otherwise.
 * Every key that holds tenant data includes the tenant id.
 *
 * Counters (rate limits, login throttling) use Redis INCR + EXPIRE NX when Redis is configured, so
 * concurrent requests on any replica are counted exactly; in memory a single process counts them.
 */
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import redisDriver from 'unstorage/drivers/redis'
import { useConfig } from './config'

let storage: Storage | undefined

/**
 * Redis keys are namespaced by the database they cache (its host and name, or the embedded data
 * directory), so two deployments sharing one Redis (staging and production, or test runs) never
 * read each other's entries.
 */
export function deploymentNamespace(): string {
  const { databaseUrl, dataDir } = useConfig()
  let identity = `embedded:${dataDir}`
  if (databaseUrl) {
    const u = new URL(databaseUrl)
    identity = `${u.hostname}:${u.port}${u.pathname}`
  }
  return `paksa:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`
}

export function useCacheStorage(): Storage {
  if (!storage) {
    const { redisUrl } = useConfig()
    storage = createStorage({
      driver: redisUrl ? redisDriver({ url: redisUrl, base: deploymentNamespace() }) : memoryDriver(),
    })
    // The memory driver ignores TTLs: drop expired entries once a minute so memory stays bounded.
    if (!redisUrl) sweeper = setInterval(() => void sweepExpired(storage!), 60_000).unref()
  }
  return storage
}

let sweeper: NodeJS.Timeout | undefined

async function sweepExpired(store: Storage) {
  const now = Date.now()
  for (const key of await store.getKeys()) {
    const entry = await store.getItem<Partial<Entry<unknown>>>(key)
    if (entry && typeof entry === 'object' && typeof entry.expires === 'number' && entry.expires <= now) await store.removeItem(key)
  }
}

/** Every cached value is stored with its expiry, so the memory driver can honour TTLs too. */
export interface Entry<T> { value: T, expires: number }

/** Returns the cached value for `key`, or computes, stores (for `ttlSeconds`) and returns it. */
export async function withCache<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const store = useCacheStorage()
  const hit = await store.getItem<Entry<T>>(key)
  if (hit && hit.expires > Date.now()) return hit.value
  const value = await compute()
  await store.setItem(key, { value, expires: Date.now() + ttlSeconds * 1000 }, { ttl: ttlSeconds })
  return value
}

export async function clearCache(...keys: string[]): Promise<void> {
  const store = useCacheStorage()
  await Promise.all(keys.map(k => store.removeItem(k)))
}

let redis: Redis | undefined

/** The process's command connection to REDIS_URL (undefined without Redis). */
export function useRedis(): Redis | undefined {
  const { redisUrl } = useConfig()
  if (redisUrl && !redis) redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 })
  return redis
}

const counterKey = (key: string) => `${deploymentNamespace()}:counter:${key}`

/** Adds one to a counter in a fixed window and returns the new count. */
export async function incrementWindow(key: string, windowSeconds: number): Promise<number> {
  const r = useRedis()
  if (r) {
    const k = counterKey(key)
    const results = await r.multi().incr(k).expire(k, windowSeconds, 'NX').exec()
    return Number(results![0]![1])
  }
  const store = useCacheStorage()
  const now = Date.now()
  const cur = await store.getItem<Entry<number>>(key)
  const fresh = !cur || cur.expires <= now
  const next: Entry<number> = { value: fresh ? 1 : cur.value + 1, expires: fresh ? now + windowSeconds * 1000 : cur.expires }
  await store.setItem(key, next, { ttl: Math.ceil((next.expires - now) / 1000) })
  return next.value
}

export async function readWindow(key: string): Promise<number> {
  const r = useRedis()
  if (r) return Number(await r.get(counterKey(key)) ?? 0)
  const cur = await useCacheStorage().getItem<Entry<number>>(key)
  return cur && cur.expires > Date.now() ? cur.value : 0
}

export async function resetWindow(key: string): Promise<void> {
  const r = useRedis()
  if (r) await r.del(counterKey(key))
  else await useCacheStorage().removeItem(key)
}

export async function closeCache() {
  clearInterval(sweeper)
  await storage?.dispose()
  storage = undefined
  await redis?.quit().catch(() => {})
  redis = undefined
}
