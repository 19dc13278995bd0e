/**
 * Messages between processes (web replicas and workers): Redis pub/sub when REDIS_URL is set,
 * an in-process emitter otherwise (the embedded default hosts the worker in the web process, so
 * one process is the whole system). Used for live updates such as the notification bell.
 */
import { EventEmitter } from 'node:events'
import type { Redis } from 'ioredis'
import { deploymentNamespace, useRedis } from './cache'
import { log } from './log'

const local = new EventEmitter()
local.setMaxListeners(0)
let subscriber: Redis | undefined
const subscribed = new Set<string>()

const channelName = (channel: string) => `${deploymentNamespace()}:events:${channel}`

export async function publish(channel: string, message: unknown): Promise<void> {
  const redis = useRedis()
  if (redis) await redis.publish(channelName(channel), JSON.stringify(message))
  else local.emit(channel, message)
}

/** Calls `listener` for every message on `channel`; returns the unsubscribe function. */
export function subscribe<T>(channel: string, listener: (message: T) => void): () => void {
  local.on(channel, listener)
  const redis = useRedis()
  if (redis && !subscribed.has(channel)) {
    subscribed.add(channel)
    if (!subscriber) {
      subscriber = redis.duplicate()
      subscriber.on('message', (name: string, raw: string) => {
        const prefix = `${deploymentNamespace()}:events:`
        if (!name.startsWith(prefix)) return
        try {
          local.emit(name.slice(prefix.length), JSON.parse(raw))
        }
        catch (err) {
          log.warn('dropped a malformed event', { channel: name, error: String(err) })
        }
      })
    }
    void subscriber.subscribe(channelName(channel))
  }
  return () => {
    local.off(channel, listener)
  }
}

export async function closeEvents(): Promise<void> {
  local.removeAllListeners()
  subscribed.clear()
  await subscriber?.quit().catch(() => {})
  subscriber = undefined
}
