/**
 * A small HTTP client for the API tests and factories that build test data through the API.
 * Requests go to 127.0.0.1 with the Host header naming the tenant, admin or apex host.
 */
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import postgres from 'postgres'
import { inject } from 'vitest'
import { recordStatus } from './status-coverage'

export interface ApiResponse<T = any> { status: number, headers: Headers, body: T, text: string, /** The raw bytes (a file). */ bytes: Buffer }

export interface RequestOptions {
  token?: string
  headers?: Record<string, string>
  /** Raw body (sent as is); otherwise `json` is serialised. */
  raw?: string
  json?: unknown
}

const port = () => new URL(inject('baseUrl')).port

export const hosts = {
  tenant: (slug: string) => `${slug}.localhost:${port()}`,
  admin: () => `admin.localhost:${port()}`,
  apex: () => `localhost:${port()}`,
}

export async function request<T = any>(method: string, host: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { host, ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined = options.raw
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] ??= 'application/json'
  }
  const res = await rawRequest(`${inject('baseUrl')}${path}`, method, headers, body)
  const text = res.text
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  }
  catch { /* not JSON */ }
  recordStatus(inject('statusLogDir'), method, path, res.status, parsed)
  return { status: res.status, headers: res.headers, body: parsed as T, text, bytes: res.bytes }
}

/** node:http, because fetch (undici) will not send a Host header other than the URL's. */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number, headers: Headers, text: string, bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
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
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

/** A client bound to one host (and optionally a bearer token). */
export function client(host: string, token?: string) {
  const go = (method: string) => <T = any>(path: string, options: RequestOptions = {}) => request<T>(method, host, path, { token, ...options })
  return { host, get: go('GET'), post: go('POST'), patch: go('PATCH'), delete: go('DELETE') }
}

export const uniqueSlug = (prefix = 't') => `${prefix}${randomBytes(4).toString('hex')}`
export const strongPassword = () => `Pw-${randomBytes(9).toString('base64url')}`

let adminTokenPromise: Promise<string> | undefined
export function adminToken(): Promise<string> {
  adminTokenPromise ??= (async () => {
    const env = inject('serverEnv')
    const res = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } })
    if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`)
    return res.body.accessToken as string
  })()
  return adminTokenPromise
}

export async function adminClient() {
  return client(hosts.admin(), await adminToken())
}

export interface TestTenant {
  id: string
  slug: string
  host: string
  owner: { id: string, email: string, password: string, token: string }
  /** A client for this tenant's host, signed in as the owner. */
  asOwner: ReturnType<typeof client>
}

export async function login(host: string, email: string, password: string) {
  const res = await request('POST', host, '/api/v1/auth/login', { json: { email, password } })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`)
  return res.body as { accessToken: string, refreshToken: string, user: { id: string } }
}

/** Creates a tenant through the back-office API and signs its owner in. */
export async function createTenant(overrides: Partial<{ slug: string, name: string, baseCurrency: string }> = {}): Promise<TestTenant> {
  const slug = overrides.slug ?? uniqueSlug()
  const owner = { email: `owner@${slug}.test`, name: 'Owner', password: strongPassword() }
  const admin = await adminClient()
  const res = await admin.post('/api/v1/admin/tenants', { json: { slug, name: overrides.name ?? `Tenant ${slug}`, baseCurrency: overrides.baseCurrency ?? 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'none', owner } })
  if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${res.text}`)
  const host = hosts.tenant(slug)
  const session = await login(host, owner.email, owner.password)
  return { id: res.body.id, slug, host, owner: { ...owner, id: session.user.id, token: session.accessToken }, asOwner: client(host, session.accessToken) }
}

let outboxReader: ReturnType<typeof postgres> | undefined

/**
 * The token of the newest invitation mail to `email` in a tenant's outbox (the row is committed
 * before POST /api/v1/users answers, so no waiting for delivery). Read as the database owner.
 */
export async function invitationToken(tenantId: string, email: string): Promise<string> {
  outboxReader ??= postgres(inject('databaseUrl'), { max: 1, idle_timeout: 1, onnotice: () => {} })
  const [mail] = await outboxReader<{ text: string }[]>`
    select text from mail_outbox where tenant_id = ${tenantId} and kind = 'invitation' and ${email.toLowerCase()} = any("to")
    order by created_at desc, id desc limit 1`
  const token = /\/invitation\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1]
  if (!token) throw new Error(`no invitation mail to ${email}`)
  return token
}

/**
 * Adds a member with the given roles the way people join: the owner invites them, they accept
 * with a new account's name and password; returns a client signed in as them.
 */
export async function addMember(tenant: TestTenant, roles: string[], email = `${randomBytes(4).toString('hex')}@member.test`) {
  const password = strongPassword()
  const res = await tenant.asOwner.post('/api/v1/users', { json: { email, roles } })
  if (res.status !== 201) throw new Error(`member invite failed: ${res.status} ${res.text}`)
  const token = await invitationToken(tenant.id, email)
  const accepted = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { name: 'Member', password } })
  if (accepted.status !== 200) throw new Error(`invitation accept failed: ${accepted.status} ${accepted.text}`)
  const session = await login(tenant.host, email, password)
  return { id: session.user.id, email, password, token: session.accessToken, client: client(tenant.host, session.accessToken) }
}

export interface LedgerTenantOptions {
  chartOfAccounts?: 'standard' | 'none'
  baseCurrency?: string
  fiscalYearStartMonth?: number
}

/** Like `createTenant`, with a choice of chart, base currency and fiscal-year start month. */
export async function createLedgerTenant(options: LedgerTenantOptions = {}): Promise<TestTenant> {
  const slug = uniqueSlug('gl')
  const owner = { email: `owner@${slug}.test`, name: 'Owner', password: strongPassword() }
  const admin = await adminClient()
  const res = await admin.post('/api/v1/admin/tenants', {
    json: {
      slug, name: `Ledger ${slug}`, baseCurrency: options.baseCurrency ?? 'USD', fiscalYearStartMonth: options.fiscalYearStartMonth ?? 1,
      chartOfAccounts: options.chartOfAccounts ?? 'standard', owner,
    },
  })
  if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${res.text}`)
  const host = hosts.tenant(slug)
  const session = await login(host, owner.email, owner.password)
  return { id: res.body.id, slug, host, owner: { ...owner, id: session.user.id, token: session.accessToken }, asOwner: client(host, session.accessToken) }
}
