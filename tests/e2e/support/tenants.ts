import { randomBytes } from 'node:crypto'
import { e2eContext } from './context'
import { requestJson } from './http'

export interface OwnTenant { slug: string, owner: { email: string, password: string } }

/**
 * A tenant of the test's own (standard chart, USD), created through the back-office API, for
 * tests whose postings must not move the figures other tests expect on `acme`.
 * Call it in `beforeAll` or a test: the global setup has run by then.
 */
export async function createOwnTenant(prefix: string, name: string, ownerName = 'Test Owner'): Promise<OwnTenant> {
  const { port, admin } = e2eContext()
  const adminHost = `admin.localhost:${port}`
  const login = await requestJson(port, adminHost, 'POST', '/api/v1/admin/auth/login', { json: admin })
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${login.text}`)
  const slug = `${prefix}-${Date.now().toString(36)}`
  const owner = { email: `owner@${slug}.test`, password: `Owner-${randomBytes(9).toString('base64url')}` }
  const created = await requestJson(port, adminHost, 'POST', '/api/v1/admin/tenants', {
    token: login.body.accessToken,
    json: { slug, name, baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard', owner: { ...owner, name: ownerName } },
  })
  if (created.status !== 201) throw new Error(`creating tenant ${slug} failed: ${created.status} ${created.text}`)
  return { slug, owner }
}
