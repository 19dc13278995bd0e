import { adminSignIn, createTenantVia, type TestTenant } from '../../support/http'
import { expect } from '@playwright/test'
import { e2eContext } from './context'
import { requestJson } from './http'
import { mailedLinkPath } from './mail'

export type OwnTenant = TestTenant

/**
 * A tenant of the test's own (standard chart, USD), created through the back-office API, for
 * tests whose postings must not move the figures other tests expect on `acme`.
 * Call it in `beforeAll` or a test: the global setup has run by then.
 */
export async function createOwnTenant(prefix: string, name: string, ownerName = 'Test Owner'): Promise<OwnTenant> {
  const { port, admin } = e2eContext()
  const target = { baseUrl: `http://127.0.0.1:${port}` }
  return createTenantVia(target, port, await adminSignIn(target, port, admin), { prefix: `${prefix}-`, name, ownerName, chartOfAccounts: 'standard' })
}

export interface Person { email: string, name: string, password: string }

/** Invites a member with `roles` and accepts the invitation with a password, as people join. */
export async function join(tenant: OwnTenant, name: string, roles: string[]): Promise<Person> {
  const person = { email: `${name.split(' ')[0]!.toLowerCase()}@${tenant.slug}.test`, name, password: `Pw-${name.replace(/\W/g, '')}-${Date.now().toString(36)}!` }
  const invited = await tenant.asOwner.post('/api/v1/users', { json: { email: person.email, name, roles } })
  expect(invited.status, invited.text).toBe(201)
  const token = (await mailedLinkPath('invitation', person.email)).split('/').pop()
  const accepted = await requestJson(e2eContext().port, tenant.host, 'POST', `/api/v1/invitations/${token}/accept`, { json: { password: person.password } })
  expect(accepted.status, accepted.text).toBe(200)
  return person
}
