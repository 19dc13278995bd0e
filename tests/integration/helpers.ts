/**
 * Integration tests start servers of their own: the shared client (tests/support/http.ts) pointed
 * at one of them (tests/support/api.ts is bound to the shared API-test server instead).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { type ApiResponse, type RequestOptions, type TenantOptions, type TestTenant, adminSignIn as signInAdmin, createTenantVia, send } from '../support/http'
import type { RunningServer } from '../support/server'

export type Reply<T = any> = ApiResponse<T>

/** One request to `server` through the shared client (tests/support/http.ts). */
export function call<T = any>(server: RunningServer, method: string, host: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  return send<T>({ baseUrl: server.url }, method, host, path, options)
}

export const hostFor = (server: RunningServer, label?: string) => `${label ? `${label}.` : ''}localhost:${server.port}`

export const testSecrets = () => ({
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  ADMIN_EMAIL: 'admin@paksa.test',
  ADMIN_PASSWORD: `admin-${randomBytes(9).toString('hex')}`,
})

export function adminSignIn(server: RunningServer, email: string, password: string): Promise<string> {
  return signInAdmin({ baseUrl: server.url }, server.port, { email, password })
}

/** Creates a tenant on `server` through the back-office API, with its owner signed in. */
export function createTenantOn(server: RunningServer, adminToken: string, options: TenantOptions = {}): Promise<TestTenant> {
  return createTenantVia({ baseUrl: server.url }, server.port, adminToken, options)
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
