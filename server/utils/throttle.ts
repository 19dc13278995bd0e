import { incrementWindow, readWindow, resetWindow } from '../core/cache'
import { RateLimitError } from '../domain/errors'

/**
 * Login throttling. Failures are counted per (account, client IP) and per client IP over 15 minutes.
 * From the 4th failure each attempt is delayed progressively (250 ms doubling, at most 4 s); past 10
 * failures for an account from one IP, or 100 from one IP, the answer is 429 until the window ends.
 * Counting per account *and IP* means a stranger elsewhere cannot lock the real user out.
 */
const WINDOW_SECONDS = 15 * 60
const ACCOUNT_LIMIT = 10
const IP_LIMIT = 100

const keys = (scope: string, account: string, ip: string) => ({
  account: `throttle:login:${scope}:${account}:${ip}`,
  ip: `throttle:login-ip:${ip}`,
})

export async function beforeLoginAttempt(scope: string, account: string, ip: string): Promise<void> {
  const k = keys(scope, account, ip)
  const [byAccount, byIp] = await Promise.all([readWindow(k.account), readWindow(k.ip)])
  if (byAccount >= ACCOUNT_LIMIT || byIp >= IP_LIMIT) {
    throw new RateLimitError('Too many failed sign-in attempts; try again later', WINDOW_SECONDS, 'TOO_MANY_ATTEMPTS')
  }
  if (byAccount >= 3) await new Promise(r => setTimeout(r, Math.min(4000, 250 * 2 ** (byAccount - 3))))
}

export async function recordLoginFailure(scope: string, account: string, ip: string): Promise<void> {
  const k = keys(scope, account, ip)
  await Promise.all([incrementWindow(k.account, WINDOW_SECONDS), incrementWindow(k.ip, WINDOW_SECONDS)])
}

export async function recordLoginSuccess(scope: string, account: string, ip: string): Promise<void> {
  await resetWindow(keys(scope, account, ip).account)
}

const API_LIMIT_PER_MINUTE = 600

/** 600 requests a minute per principal. */
export async function checkApiRate(principal: string): Promise<void> {
  const minute = Math.floor(Date.now() / 60_000)
  const n = await incrementWindow(`ratelimit:${principal}:${minute}`, 60)
  if (n > API_LIMIT_PER_MINUTE) throw new RateLimitError('Rate limit exceeded: 600 requests per minute', 60 - Math.floor((Date.now() / 1000) % 60))
}

const SIGNUP_LIMIT_PER_HOUR = 10

/** Self-service sign-up creates tenants: at most 10 an hour from one client IP. */
export async function checkSignupRate(ip: string): Promise<void> {
  const n = await incrementWindow(`ratelimit:signup:${ip}`, 3600)
  if (n > SIGNUP_LIMIT_PER_HOUR) throw new RateLimitError('Too many sign-ups from this address; try again later', 3600)
}
