/**
 * One key-value store for caches and counters: Redis when REDIS_URL is set (shared by every web
 * replica, so an invalidation is seen everywhere at once), process memory otherwise.
 * Every key that holds tenant data includes the tenant id.
 */
import { createHash } from 'node:crypto'
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
function namespace(): string {
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
      driver: redisUrl ? redisDriver({ url: redisUrl, base: namespace() }) : memoryDriver(),
    })
  }
  return storage
}

interface Entry<T> { value: T, expires: number }

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

/** Adds one to a counter in a fixed window and returns the new count. */
export async function incrementWindow(key: string, windowSeconds: number): Promise<number> {
  const store = useCacheStorage()
  const now = Date.now()
  const cur = await store.getItem<Entry<number>>(key)
  const fresh = !cur || cur.expires <= now
  const next: Entry<number> = { value: fresh ? 1 : cur.value + 1, expires: fresh ? now + windowSeconds * 1000 : cur.expires }
  await store.setItem(key, next, { ttl: Math.ceil((next.expires - now) / 1000) })
  return next.value
}

export async function readWindow(key: string): Promise<number> {
  const cur = await useCacheStorage().getItem<Entry<number>>(key)
  return cur && cur.expires > Date.now() ? cur.value : 0
}

export async function closeCache() {
  await storage?.dispose()
  storage = undefined
}
