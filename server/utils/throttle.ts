import { randomBytes } from 'node:crypto'
import { setResponseHeaders, type H3Event } from 'h3'
import { incrementWindow, readWindow, resetWindow, useCacheStorage, type Entry } from '../core/cache'
import { useConfig } from '../core/config'
import { RateLimitError } from '../domain/errors'
import { sha256 } from '../domain/identity/tokens'

/**
 * Login throttling (tenant and back-office sign-in).
 *
 * A sign-in comes from a *recognised* source when the browser shows a device cookie that signed in
 * to this account before, or when the account signed in from this client IP before (both
 * remembered 30 days after each success). Everything else is a stranger. Three budgets:
 *
 * - **Per source** (the device, or else the account and client IP): 10 attempts since the last
 *   success within 15 minutes, then 429 for that source. A device's budget is its own: nobody
 *   without the cookie can spend it.
 * - **Per account, for strangers** (all IPs together): 10 attempts within 5 minutes, then 429 for
 *   strangers only until that window ends, and one e-mail to the account holder per window.
 *   Recognised sources are exempt, so a stranger spraying from many addresses cannot lock the
 *   real user out of their usual browser or network.
 * - **Per client IP**: 100 failures within 15 minutes. Past it, a stranger's attempt is still
 *   checked when the account had no other stranger attempt in its window, and refused (429)
 *   otherwise. So the per-IP limit never refuses a correct password for an account that is not
 *   itself under attack, even when every client shares one address (a proxy without TRUST_PROXY),
 *   while an address spraying many accounts gets one guess per account per window.
 *
 * From the fourth attempt in the source's or (for strangers) the account's window each attempt is
 * delayed: 250 ms, doubling, at most 4 s. Attempts are counted before the password is checked,
 * with an atomic increment, so parallel requests cannot all slip under a limit; a success clears
 * its source's count (and, from an unrecognised place, the account's stranger count: the holder
 * is evidently there). Counter keys carry a hash of the e-mail address, not the address.
 */
const SOURCE_WINDOW_SECONDS = 15 * 60
const SOURCE_LIMIT = 10
const ACCOUNT_WINDOW_SECONDS = 5 * 60
const ACCOUNT_LIMIT = 10
const IP_WINDOW_SECONDS = 15 * 60
const IP_LIMIT = 100
const DELAY_FROM = 3
const RECOGNISED_SECONDS = 30 * 24 * 3600
/** The device cookie outlives the 30-day memory so a returning browser keeps its id. */
export const DEVICE_COOKIE_SECONDS = 365 * 24 * 3600
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/

export const ACCOUNT_ALERT = { attempts: ACCOUNT_LIMIT, windowMinutes: ACCOUNT_WINDOW_SECONDS / 60 }

export interface LoginSource {
  /** The tenant id, or `platform` for the back-office. */
  scope: string
  email: string
  ip: string
  /** The device cookie's value, if the browser sent one. */
  deviceId?: string
}

export interface LoginAttempt {
  /**
   * Counts a wrong password against the client IP. True when this failure used up the account's
   * budget for strangers: the caller tells the account holder (once per window, as only one
   * attempt can be the one that reaches the limit).
   */
  failed: () => Promise<{ accountLocked: boolean }>
  /** Clears the source's count and remembers this device and IP for the account; returns the device id to set. */
  succeeded: () => Promise<string>
}

const tooMany = (retryAfterSeconds: number) =>
  new RateLimitError('Too many failed sign-in attempts; try again later', retryAfterSeconds, 'TOO_MANY_ATTEMPTS')

async function isRecognised(key: string): Promise<boolean> {
  const entry = await useCacheStorage().getItem<Entry<true>>(key)
  return !!entry && entry.expires > Date.now()
}

async function recognise(key: string): Promise<void> {
  await useCacheStorage().setItem(key, { value: true, expires: Date.now() + RECOGNISED_SECONDS * 1000 }, { ttl: RECOGNISED_SECONDS })
}

/**
 * Counts a sign-in attempt before the password is checked: throws 429 TOO_MANY_ATTEMPTS past a
 * budget, waits the progressive delay, and returns what to call with the outcome.
 */
export async function beginLoginAttempt(source: LoginSource): Promise<LoginAttempt> {
  const account = `${source.scope}:${sha256(source.email.trim().toLowerCase()).slice(0, 32)}`
  const device = source.deviceId && DEVICE_ID.test(source.deviceId) ? source.deviceId : undefined
  const deviceKey = device && `login:known:${account}:device:${sha256(device).slice(0, 32)}`
  const networkKey = `login:known:${account}:ip:${source.ip}`
  const ipKey = `login:ip:${source.ip}`
  const accountKey = `login:account:${account}`

  const [knownDevice, knownNetwork] = await Promise.all([deviceKey ? isRecognised(deviceKey) : false, isRecognised(networkKey)])
  const stranger = !knownDevice && !knownNetwork
  const sourceKey = knownDevice ? `login:source:${deviceKey}` : `login:source:${account}:ip:${source.ip}`

  const bySource = await incrementWindow(sourceKey, SOURCE_WINDOW_SECONDS)
  if (bySource > SOURCE_LIMIT) throw tooMany(SOURCE_WINDOW_SECONDS)
  let byAccount = 0
  if (stranger) {
    byAccount = await incrementWindow(accountKey, ACCOUNT_WINDOW_SECONDS)
    if (byAccount > ACCOUNT_LIMIT) throw tooMany(ACCOUNT_WINDOW_SECONDS)
    if (byAccount > 1 && await readWindow(ipKey) >= IP_LIMIT) throw tooMany(IP_WINDOW_SECONDS)
  }
  const earlier = Math.max(bySource, byAccount) - 1
  if (earlier >= DELAY_FROM) await new Promise(r => setTimeout(r, Math.min(4000, 250 * 2 ** (earlier - DELAY_FROM))))

  return {
    failed: async () => {
      await incrementWindow(ipKey, IP_WINDOW_SECONDS)
      return { accountLocked: stranger && byAccount === ACCOUNT_LIMIT }
    },
    succeeded: async () => {
      const id = device ?? randomBytes(32).toString('base64url')
      await Promise.all([
        resetWindow(sourceKey),
        stranger ? resetWindow(accountKey) : undefined,
        recognise(networkKey),
        recognise(`login:known:${account}:device:${sha256(id).slice(0, 32)}`),
      ])
      return id
    },
  }
}

/**
 * API_RATE_LIMIT_PER_MINUTE (default 600) API requests a minute per signed-in principal, in fixed one-minute windows. Every answer
 * announces the window in `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds),
 * as documented in the OpenAPI document, so a client can slow down before it gets the 429 (which
 * carries them too, with `Retry-After`). A request is counted (`countApiRequest`), then answered
 * (`applyApiRate`): two steps, so the auth middleware sends the increment with its session reads.
 */
/** A request counted in its principal's one-minute window: the count, and when it was counted. */
export interface CountedRequest { used: number, at: number }

/**
 * Counts a request against its principal's window without answering yet, so the caller can send
 * the increment alongside its other reads (the auth middleware sends it with the session reads);
 * `applyApiRate` then sets the headers and refuses past the limit.
 */
export async function countApiRequest(principal: string): Promise<CountedRequest> {
  const at = Date.now()
  return { used: await incrementWindow(`ratelimit:${principal}:${Math.floor(at / 60_000)}`, 60), at }
}

export function applyApiRate(event: H3Event, { used, at }: CountedRequest): void {
  const limit = useConfig().apiRateLimitPerMinute
  const resetSeconds = 60 - Math.floor((at / 1000) % 60)
  setResponseHeaders(event, {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - used)),
    'RateLimit-Reset': String(resetSeconds),
  })
  if (used > limit) throw new RateLimitError(`Rate limit exceeded: ${limit} requests per minute`, resetSeconds)
}

const SIGNUP_LIMIT_PER_HOUR = 10

/** Self-service sign-up creates tenants: at most 10 an hour from one client IP. */
export async function checkSignupRate(ip: string): Promise<void> {
  const n = await incrementWindow(`ratelimit:signup:${ip}`, 3600)
  if (n > SIGNUP_LIMIT_PER_HOUR) throw new RateLimitError('Too many sign-ups from this address; try again later', 3600)
}
