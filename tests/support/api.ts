/**
 * The shared HTTP client (tests/support/http.ts) bound to the API tests' one server, plus the
 * factories that build test data through the API. Every answer is recorded for the status-coverage
 * check (tests/support/status-coverage.ts): a status a route answers must be in its contract.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'
import {
  type ApiResponse, type RequestOptions, type Target, type TenantOptions, type TestTenant,
  adminSignIn, clientOn, createTenantVia, hostsOf, send, signIn, strongPassword,
} from './http'
import { recordStatus } from './status-coverage'

export { rawRequest, strongPassword, uniqueSlug } from './http'
export type { ApiResponse, Client, RequestOptions, TenantOptions, TestTenant } from './http'

const port = () => new URL(inject('baseUrl')).port
const target = (): Target => ({
  baseUrl: inject('baseUrl'),
  observe: (method, path, res) => recordStatus(inject('statusLogDir'), method, path, res.status, res.body),
})

export const hosts = {
  tenant: (slug: string) => hostsOf(port()).tenant(slug),
  admin: () => hostsOf(port()).admin(),
  apex: () => hostsOf(port()).apex(),
}

export function request<T = any>(method: string, host: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  return send<T>(target(), method, host, path, options)
}

/** A client bound to one host (and optionally a bearer token). */
export function client(host: string, token?: string) {
  return clientOn(target(), host, token)
}

let adminTokenPromise: Promise<string> | undefined
export function adminToken(): Promise<string> {
  const env = inject('serverEnv')
  adminTokenPromise ??= adminSignIn(target(), port(), { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! })
  return adminTokenPromise
}

export async function adminClient() {
  return client(hosts.admin(), await adminToken())
}

export function login(host: string, email: string, password: string) {
  return signIn(target(), host, email, password)
}

/** Creates a tenant through the back-office API and signs its owner in (an empty chart unless asked). */
export async function createTenant(options: TenantOptions = {}): Promise<TestTenant> {
  return createTenantVia(target(), port(), await adminToken(), options)
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
