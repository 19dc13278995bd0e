/**
 * Roles and `module:action` permissions. A membership holds one or more roles; its permissions are
 * the union of theirs. A route's contract names the permission it needs (server/contracts), and
 * defineApiHandler checks it.
 */
export const ROLES = ['owner', 'admin', 'accountant', 'ap_clerk', 'ar_clerk', 'viewer', 'auditor'] as const
export type Role = typeof ROLES[number]

const MODULES = ['users', 'settings', 'api_keys', 'audit', 'ledger', 'reports', 'ar', 'ap', 'bank', 'budgets', 'tax', 'assets'] as const

export const PERMISSIONS = [
  'users:read', 'users:manage', 'ownership:manage',
  'settings:read', 'settings:manage',
  'api_keys:read', 'api_keys:manage',
  'audit:read',
  'ledger:read', 'ledger:write', 'ledger:post', 'ledger:close',
  'reports:read', 'reports:export', 'reports:schedule',
  'ar:read', 'ar:write', 'ap:read', 'ap:write', 'ap:approve', 'ap:pay',
  'bank:read', 'bank:write', 'budgets:read', 'budgets:write',
  'tax:read', 'tax:write', 'assets:read', 'assets:write',
] as const
export type Permission = typeof PERMISSIONS[number]

const reads = (modules: readonly string[]) => PERMISSIONS.filter(p => p.endsWith(':read') && modules.includes(p.split(':')[0]!))
const allReadsBut = (...except: string[]) => reads(MODULES.filter(m => !except.includes(m)))

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter(p => p !== 'ownership:manage'),
  accountant: [
    ...allReadsBut('audit', 'api_keys'),
    'ledger:write', 'ledger:post', 'ledger:close', 'reports:export', 'reports:schedule',
    'bank:write', 'budgets:write', 'tax:write', 'assets:write',
    // The checker of SPEC §4's maker-checker: approves bills and bank detail changes, releases payments.
    'ap:approve', 'ap:pay',
  ],
  ap_clerk: [...reads(['ap', 'bank', 'reports', 'ledger', 'tax']), 'ap:write'],
  ar_clerk: [...reads(['ar', 'bank', 'reports', 'ledger', 'tax']), 'ar:write'],
  viewer: allReadsBut('audit', 'api_keys'),
  auditor: [...allReadsBut(), 'reports:export'],
}

export function permissionsOf(roles: readonly string[]): Permission[] {
  const set = new Set<Permission>()
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role as Role] ?? []) set.add(p)
  return PERMISSIONS.filter(p => set.has(p))
}

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  return roles.some(r => ROLE_PERMISSIONS[r as Role]?.includes(permission))
}
