/**
 * The one HTTP client of the tests and benchmarks: API tests (tests/support/api.ts binds it to the
 * shared server), integration tests (servers of their own), the browser tests' set-up calls and
 * bench/. It speaks to 127.0.0.1 with the Host header naming the tenant, admin or apex host —
 * node:http, because fetch (undici) will not send a Host other than the URL's and Node does not
 * resolve *.localhost. It imports nothing from vitest or Playwright, so every runner can use it.
 */
import { randomBytes } from 'node:crypto'
import { request as httpRequest, type Agent } from 'node:http'

export interface ApiResponse<T = any> { status: number, headers: Headers, body: T, text: string, /** The raw bytes (a file). */ bytes: Buffer }

export interface RequestOptions {
  token?: string
  headers?: Record<string, string>
  /** Raw body (sent as is: text, or bytes such as an image); otherwise `json` is serialised. */
  raw?: string | Buffer
  json?: unknown
}

/** Where requests go: the server's base URL (`http://127.0.0.1:<port>`), and what sees each answer. */
export interface Target {
  baseUrl: string
  /** Called with every answer, e.g. to record which statuses each route answered. */
  observe?: (method: string, path: string, res: ApiResponse) => void
  /** A keep-alive agent (the benchmarks reuse connections); Node's global agent otherwise. */
  agent?: Agent
  /** A request that takes longer fails with "timed out"; no limit otherwise. */
  timeoutMs?: number
}

export const hostsOf = (port: number | string) => ({
  tenant: (slug: string) => `${slug}.localhost:${port}`,
  admin: () => `admin.localhost:${port}`,
  apex: () => `localhost:${port}`,
})

/** One request; the body is parsed as JSON when it is JSON, and kept as text otherwise. */
export async function send<T = any>(target: Target, method: string, host: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { host, ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | Buffer | undefined = options.raw
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] ??= 'application/json'
  }
  const res = await rawRequest(`${target.baseUrl}${path}`, method, headers, body, target)
  let parsed: unknown = res.text
  try {
    parsed = JSON.parse(res.text)
  }
  catch { /* not JSON */ }
  const answer = { status: res.status, headers: res.headers, body: parsed as T, text: res.text, bytes: res.bytes }
  target.observe?.(method, path, answer)
  return answer
}

/** The bare exchange, for requests the client cannot express (exact bytes, odd headers). */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string | Buffer, connection: Pick<Target, 'agent' | 'timeoutMs'> = {}): Promise<{ status: number, headers: Headers, text: string, bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const sent = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }
    const req = httpRequest(url, { method, headers: sent, agent: connection.agent, timeout: connection.timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const h = new Headers()
        for (const [k, v] of Object.entries(res.headers)) {
          for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, value)
        }
        const bytes = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: h, text: bytes.toString('utf8'), bytes })
      })
    })
    // Only with a deadline of our own: the agent's idle timeout on a reused keep-alive socket
    // (about 5 s) also emits 'timeout', and a slow answer (the sign-in throttle's delay) is no error.
    if (connection.timeoutMs) req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)))
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

/** A client bound to one host (and optionally a bearer token). */
export function clientOn(target: Target, host: string, token?: string) {
  const go = (method: string) => <T = any>(path: string, options: RequestOptions = {}) => send<T>(target, method, host, path, { token, ...options })
  return { host, token, get: go('GET'), post: go('POST'), patch: go('PATCH'), put: go('PUT'), delete: go('DELETE') }
}
export type Client = ReturnType<typeof clientOn>

export const uniqueSlug = (prefix = 't') => `${prefix}${randomBytes(4).toString('hex')}`
export const strongPassword = () => `Pw-${randomBytes(9).toString('base64url')}`

export interface Session { accessToken: string, refreshToken: string, user: { id: string } }

export async function signIn(target: Target, host: string, email: string, password: string): Promise<Session> {
  const res = await send(target, 'POST', host, '/api/v1/auth/login', { json: { email, password } })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`)
  return res.body as Session
}

export async function adminSignIn(target: Target, port: number | string, admin: { email: string, password: string }): Promise<string> {
  const res = await send(target, 'POST', hostsOf(port).admin(), '/api/v1/admin/auth/login', { json: admin })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`)
  return res.body.accessToken as string
}

export interface TenantOptions {
  slug?: string
  /** Prefix of the generated slug. */
  prefix?: string
  name?: string
  baseCurrency?: string
  fiscalYearStartMonth?: number
  /** `none` (the default) gives an empty chart; ledger tests take `standard`. */
  chartOfAccounts?: 'standard' | 'none'
  ownerName?: string
}

export interface TestTenant {
  id: string
  slug: string
  host: string
  owner: { id: string, email: string, name: string, password: string, token: string }
  /** A client for this tenant's host, signed in as the owner. */
  asOwner: Client
}

/** Creates a tenant through the back-office API, as a platform admin would, and signs its owner in. */
export async function createTenantVia(target: Target, port: number | string, adminToken: string, options: TenantOptions = {}): Promise<TestTenant> {
  const slug = options.slug ?? uniqueSlug(options.prefix)
  const owner = { email: `owner@${slug}.test`, name: options.ownerName ?? 'Owner', password: strongPassword() }
  const res = await send(target, 'POST', hostsOf(port).admin(), '/api/v1/admin/tenants', {
    token: adminToken,
    json: {
      slug, name: options.name ?? `Tenant ${slug}`, baseCurrency: options.baseCurrency ?? 'USD',
      fiscalYearStartMonth: options.fiscalYearStartMonth ?? 1, chartOfAccounts: options.chartOfAccounts ?? 'none', owner,
    },
  })
  if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${res.text}`)
  const host = hostsOf(port).tenant(slug)
  const session = await signIn(target, host, owner.email, owner.password)
  return { id: res.body.id, slug, host, owner: { ...owner, id: session.user.id, token: session.accessToken }, asOwner: clientOn(target, host, session.accessToken) }
}
