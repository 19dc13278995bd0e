/**
 * Worker heartbeats: each worker process writes `{ id, pid, host, queues, … }` every few seconds
 * into the shared cache (Redis, or memory when the worker runs inside the web process) with a short
 * TTL; the back-office health page lists the live ones and when each last beat.
 */
import { hostname } from 'node:os'
import { useCacheStorage } from './cache'

export const HEARTBEAT_SECONDS = 5
const TTL_SECONDS = HEARTBEAT_SECONDS * 4
const PREFIX = 'worker:heartbeat'

export interface WorkerBeat {
  id: string
  pid: number
  host: string
  mode: 'in-process' | 'process'
  backend: 'redis' | 'postgres'
  queues: string[]
  startedAt: string
  beatAt: string
  /** Jobs running in this worker at the time of the beat. */
  active: number
}

export async function beat(info: Omit<WorkerBeat, 'beatAt' | 'host' | 'pid'>): Promise<void> {
  const value: WorkerBeat = { ...info, pid: process.pid, host: hostname(), beatAt: new Date().toISOString() }
  await useCacheStorage().setItem(`${PREFIX}:${info.id}`, { value, expires: Date.now() + TTL_SECONDS * 1000 }, { ttl: TTL_SECONDS })
}

export async function forget(id: string): Promise<void> {
  await useCacheStorage().removeItem(`${PREFIX}:${id}`)
}

/** The workers that beat within the last TTL, newest first. */
export async function liveWorkers(): Promise<WorkerBeat[]> {
  const store = useCacheStorage()
  const keys = await store.getKeys(PREFIX)
  const now = Date.now()
  const beats: WorkerBeat[] = []
  for (const key of keys) {
    const entry = await store.getItem<{ value: WorkerBeat, expires: number }>(key)
    if (entry && entry.expires > now) beats.push(entry.value)
  }
  return beats.sort((a, b) => b.beatAt.localeCompare(a.beatAt))
}
