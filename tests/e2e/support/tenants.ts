import { adminSignIn, createTenantVia, type TestTenant } from '../../support/http'
import { e2eContext } from './context'

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
