import { describe, expect, it } from 'vitest'
import { hasPermission, PERMISSIONS, permissionsOf, ROLES } from '../../server/domain/identity/rbac'

const isWrite = (p: string) => !p.endsWith(':read') && p !== 'reports:export'

describe('roles and permissions', () => {
  it('gives the owner every permission', () => {
    expect(permissionsOf(['owner'])).toEqual([...PERMISSIONS])
    for (const p of PERMISSIONS) expect(hasPermission(['owner'], p)).toBe(true)
  })

  it('gives the admin everything but ownership', () => {
    expect(hasPermission(['admin'], 'ownership:manage')).toBe(false)
    expect(hasPermission(['admin'], 'users:manage')).toBe(true)
    expect(permissionsOf(['admin'])).toEqual(PERMISSIONS.filter(p => p !== 'ownership:manage'))
  })

  it('keeps the viewer read-only: no users:manage, no write of any kind', () => {
    expect(hasPermission(['viewer'], 'users:manage')).toBe(false)
    expect(hasPermission(['viewer'], 'users:read')).toBe(true)
    expect(hasPermission(['viewer'], 'ledger:read')).toBe(true)
    for (const p of permissionsOf(['viewer'])) expect(p).toMatch(/:read$/)
  })

  it('lets the auditor read everything, the audit log included, and change nothing', () => {
    expect(hasPermission(['auditor'], 'audit:read')).toBe(true)
    for (const p of PERMISSIONS.filter(p => p.endsWith(':read'))) expect(hasPermission(['auditor'], p)).toBe(true)
    for (const p of PERMISSIONS.filter(isWrite)) expect(hasPermission(['auditor'], p), p).toBe(false)
  })

  it('does not let the viewer read the audit log', () => {
    expect(hasPermission(['viewer'], 'audit:read')).toBe(false)
  })

  it('lets the accountant post and close the ledger but not manage users', () => {
    expect(hasPermission(['accountant'], 'ledger:post')).toBe(true)
    expect(hasPermission(['accountant'], 'ledger:close')).toBe(true)
    expect(hasPermission(['accountant'], 'users:manage')).toBe(false)
  })

  it('makes the accountant the checker of payables (ap:approve, ap:pay) and keeps the AP clerk a maker only', () => {
    expect(hasPermission(['accountant'], 'ap:approve')).toBe(true)
    expect(hasPermission(['accountant'], 'ap:pay')).toBe(true)
    expect(hasPermission(['ap_clerk'], 'ap:approve')).toBe(false)
    expect(hasPermission(['ap_clerk'], 'ap:pay')).toBe(false)
    for (const role of ['owner', 'admin']) expect(permissionsOf([role])).toEqual(expect.arrayContaining(['ap:approve', 'ap:pay']))
    for (const role of ['viewer', 'auditor', 'ar_clerk']) {
      expect(hasPermission([role], 'ap:approve'), role).toBe(false)
      expect(hasPermission([role], 'ap:pay'), role).toBe(false)
    }
  })

  it('keeps the clerks to their own ledger side', () => {
    expect(hasPermission(['ap_clerk'], 'ap:write')).toBe(true)
    expect(hasPermission(['ap_clerk'], 'ar:write')).toBe(false)
    expect(hasPermission(['ar_clerk'], 'ar:write')).toBe(true)
    expect(hasPermission(['ar_clerk'], 'ap:write')).toBe(false)
  })

  it('unions the permissions of several roles', () => {
    const both = permissionsOf(['ap_clerk', 'ar_clerk'])
    expect(both).toContain('ap:write')
    expect(both).toContain('ar:write')
  })

  it('grants nothing to an unknown role or to no role', () => {
    expect(permissionsOf(['superuser'])).toEqual([])
    expect(permissionsOf([])).toEqual([])
    expect(hasPermission(['superuser'], 'users:read')).toBe(false)
  })

  it('names every permission module:action and every role in the specification', () => {
    for (const p of PERMISSIONS) expect(p).toMatch(/^[a-z_]+:[a-z_]+$/)
    expect([...ROLES].sort()).toEqual(['accountant', 'admin', 'ap_clerk', 'ar_clerk', 'auditor', 'owner', 'viewer'])
  })
})
