/**
 * HTTP helpers for integration tests, which start servers of their own (tests/support/api.ts is
 * bound to the shared API-test server).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rawRequest } from '../support/api'
import type { RunningServer } from '../support/server'

export interface Reply<T = any> { status: number, headers: Headers, body: T, text: string }

export async function call<T = any>(server: RunningServer, method: string, host: string, path: string,
  options: { json?: unknown, token?: string, headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { host, ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] ??= 'application/json'
  }
  const res = await rawRequest(`${server.url}${path}`, method, headers, body)
  let parsed: unknown = res.text
  try {
    parsed = JSON.parse(res.text)
  }
  catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed as T, text: res.text }
}

export const hostFor = (server: RunningServer, label?: string) => `${label ? `${label}.` : ''}localhost:${server.port}`

export const testSecrets = () => ({
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  ADMIN_EMAIL: 'admin@paksa.test',
  ADMIN_PASSWORD: `admin-${randomBytes(9).toString('hex')}`,
})

export async function adminSignIn(server: RunningServer, email: string, password: string): Promise<string> {
  const res = await call(server, 'POST', hostFor(server, 'admin'), '/api/v1/admin/auth/login', { json: { email, password } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`)
  return res.body.accessToken
}

/** Creates a tenant through the back-office API; returns it with its owner's credentials. */
export async function createTenantOn(server: RunningServer, adminToken: string) {
  const slug = `t${randomBytes(4).toString('hex')}`
  const owner = { email: `owner@${slug}.test`, name: 'Owner', password: `Pw-${randomBytes(9).toString('base64url')}` }
  const res = await call(server, 'POST', hostFor(server, 'admin'), '/api/v1/admin/tenants', { token: adminToken, json: { slug, name: `Tenant ${slug}`, chartOfAccounts: 'none', owner } })
  if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${res.text}`)
  return { id: res.body.id as string, slug, owner }
}

/** PIDs of running processes whose command line mentions `needle` (Linux /proc). */
export function processesMentioning(needle: string): number[] {
  if (!existsSync('/proc')) return []
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ')
      if (cmdline.includes(needle)) pids.push(Number(entry))
    }
    catch { /* gone meanwhile */ }
  }
  return pids
}
