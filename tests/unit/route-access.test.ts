/**
 * defineApiHandler's guard (routeAccess): what a contract declares about who may call a route is
 * what is enforced. The event is a plain H3Event-shaped object with the context the site and auth
 * middleware would have set; nothing else runs.
 */
import type { H3Event } from 'h3'
import { describe, expect, it } from 'vitest'
import { defineContract, type Contract } from '../../server/contracts/define'
import { ledgerContracts } from '../../server/contracts/ledger'
import { reportContracts } from '../../server/contracts/reports'
import { tenantContracts } from '../../server/contracts/tenants'
import { DomainError } from '../../server/domain/errors'
import { routeAccess, type ApiInput } from '../../server/utils/api'

const tenant = { id: '01890000-0000-7000-8000-000000000001', slug: 'acme', name: 'Acme', status: 'active' as const, baseCurrency: 'EUR', fiscalYearStartMonth: 1 }

function eventOn(kind: 'tenant' | 'admin' | 'apex', roles?: string[]): H3Event {
  const auth = roles ? { kind: 'user', sessionId: 's', via: 'bearer', principal: { user: { id: 'u1', email: 'a@b.c', name: 'A' }, roles, tenant } } : undefined
  return { context: { requestId: 'r', clientIp: '127.0.0.1', site: { kind, tenant: kind === 'tenant' ? tenant : undefined }, auth }, node: { req: { headers: {} } } } as unknown as H3Event
}

function refusal(work: () => unknown): string {
  try {
    work()
  }
  catch (err) {
    if (err instanceof DomainError) return `${err.status} ${err.code}`
    const e = err as { statusCode?: number, data?: { code: string } }
    return `${e.statusCode} ${e.data?.code}`
  }
  return 'allowed'
}

/** Validated input with the given body or query (the guard reads them only for alsoRequires). */
const withBody = (body?: unknown) => ({ params: undefined, query: undefined, body }) as unknown as ApiInput<Contract>
const withQuery = (query: unknown) => ({ params: undefined, query, body: undefined }) as unknown as ApiInput<Contract>
const noInput = withBody()

describe('routeAccess enforces the contract', () => {
  const createEntry = ledgerContracts.createEntry as Contract

  it('lets a member with the permission through and hands over the member, tenant, actor and transactions', () => {
    const access = routeAccess(eventOn('tenant', ['accountant']), createEntry, withBody({ post: true })) as { tenant: { id: string }, actor: { type: string, id: string }, write: unknown, read: unknown }
    expect(access.tenant.id).toBe(tenant.id)
    expect(access.actor).toMatchObject({ type: 'user', id: 'u1' })
    expect(typeof access.write).toBe('function')
    expect(typeof access.read).toBe('function')
  })

  it('answers 401 without a session and 403 without the contract\'s permission', () => {
    expect(refusal(() => routeAccess(eventOn('tenant'), createEntry, noInput))).toBe('401 UNAUTHENTICATED')
    expect(refusal(() => routeAccess(eventOn('tenant', ['viewer']), createEntry, withBody({})))).toBe('403 FORBIDDEN')
  })

  it('checks an input-dependent permission only when the input asks for it', () => {
    const post = createEntry.alsoRequires![0]!
    expect(post.permission).toBe('ledger:post')
    expect(post.applies({ body: { post: true } })).toBe(true)
    expect(post.applies({ body: {} })).toBe(false)
    // No built-in role has ledger:write without ledger:post, so a contract of the same shape on a read shows the check.
    const readThenPost = defineContract({ ...createEntry, permission: 'ledger:read' })
    expect(refusal(() => routeAccess(eventOn('tenant', ['viewer']), readThenPost, withBody({})))).toBe('allowed')
    expect(refusal(() => routeAccess(eventOn('tenant', ['viewer']), readThenPost, withBody({ post: true })))).toBe('403 FORBIDDEN')
  })

  it('lets a report\'s JSON take its json permission and its files its file permission too (the catalog entry\'s, through the contract)', () => {
    const trialBalance = reportContracts['trial-balance'] as Contract
    expect(trialBalance.permission).toBe('reports:read')
    expect(trialBalance.alsoRequires?.map(r => r.permission)).toEqual(['reports:export'])
    expect(refusal(() => routeAccess(eventOn('tenant', ['viewer']), trialBalance, withQuery({ format: 'json' })))).toBe('allowed')
    for (const format of ['csv', 'xlsx', 'pdf']) {
      expect(refusal(() => routeAccess(eventOn('tenant', ['viewer']), trialBalance, withQuery({ format })))).toBe('403 FORBIDDEN')
      expect(refusal(() => routeAccess(eventOn('tenant', ['auditor']), trialBalance, withQuery({ format })))).toBe('allowed')
    }
  })

  it('serves a route only on its site: tenant routes on tenant hosts, admin routes on the admin host, sign-up on the apex', () => {
    expect(refusal(() => routeAccess(eventOn('admin', ['owner']), createEntry, noInput))).toBe('404 NOT_FOUND')
    expect(refusal(() => routeAccess(eventOn('tenant'), tenantContracts.list as Contract, noInput))).toBe('404 NOT_FOUND')
    expect(refusal(() => routeAccess(eventOn('admin'), tenantContracts.list as Contract, noInput))).toBe('401 UNAUTHENTICATED')
    expect(refusal(() => routeAccess(eventOn('tenant'), tenantContracts.signup as Contract, noInput))).toBe('404 NOT_FOUND')
    expect(refusal(() => routeAccess(eventOn('apex'), tenantContracts.signup as Contract, noInput))).toBe('allowed')
    expect(refusal(() => routeAccess(eventOn('apex'), tenantContracts.adminLogin as Contract, noInput))).toBe('404 NOT_FOUND')
  })

  it('hands the platform\'s transactions to the public routes of the apex and admin hosts, and none to a host-less route', () => {
    for (const [site, contract] of [['apex', tenantContracts.signup], ['admin', tenantContracts.adminLogin]] as const) {
      const access = routeAccess(eventOn(site), contract as Contract, noInput) as { read?: unknown, write?: unknown }
      expect(typeof access.read).toBe('function')
      expect(typeof access.write).toBe('function')
    }
    const hostless = routeAccess(eventOn('admin'), tenantContracts.adminLogout as Contract, noInput) as { read?: unknown, write?: unknown }
    expect(hostless.read).toBeUndefined()
    expect(hostless.write).toBeUndefined()
  })
})
