import { setResponseHeaders, type H3Event } from 'h3'
import { incrementWindow } from '../core/cache'
import { RateLimitError } from '../domain/errors'

const API_LIMIT_PER_MINUTE = 600

/**
 * 600 API requests a minute per signed-in principal, in fixed one-minute windows. Every answer
 * announces the window in `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds),
 * as documented in the OpenAPI document, so a client can slow down before it gets the 429 (which
 * carries them too, with `Retry-After`).
 */
export async function limitApiRate(event: H3Event, principal: string): Promise<void> {
  const now = Date.now()
  const used = await incrementWindow(`ratelimit:${principal}:${Math.floor(now / 60_000)}`, 60)
  const resetSeconds = 60 - Math.floor((now / 1000) % 60)
  setResponseHeaders(event, {
    'RateLimit-Limit': String(API_LIMIT_PER_MINUTE),
    'RateLimit-Remaining': String(Math.max(0, API_LIMIT_PER_MINUTE - used)),
    'RateLimit-Reset': String(resetSeconds),
  })
  if (used > API_LIMIT_PER_MINUTE) throw new RateLimitError('Rate limit exceeded: 600 requests per minute', resetSeconds)
}
