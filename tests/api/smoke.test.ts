import { describe, expect, it } from 'vitest'
import { createTenant } from '../support/api'

describe('a tenant created in the back-office', () => {
  it('lets its owner sign in and read /api/v1/me', async () => {
    const tenant = await createTenant()
    const me = await tenant.asOwner.get('/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body.tenant.slug).toBe(tenant.slug)
    expect(me.body.roles).toEqual(['owner'])
  })
})
