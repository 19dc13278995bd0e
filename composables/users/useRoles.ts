import type { MaybeRefOrGetter } from 'vue'

export const ROLES = ['owner', 'admin', 'accountant', 'ap_clerk', 'ar_clerk', 'viewer', 'auditor'] as const
export type Role = typeof ROLES[number]

interface RoleInfo {
  label: string
  description: string
  color: string
  /** The module the role works in, when that is not the ledger: offered once the module exists. */
  module?: 'sales' | 'purchases'
}

/**
 * Modules that have landed besides the ledger and reports. The clerk roles of sales and purchases
 * are offered when their module is here (add it with the module); until then a role nobody can use
 * is not offered, though a member who already holds one keeps it and sees it.
 */
const LANDED_MODULES: ReadonlySet<string> = new Set<NonNullable<RoleInfo['module']>>(['sales'])

const ROLE_INFO: Record<Role, RoleInfo> = {
  owner: { label: 'Owner', description: 'Full access, including ownership of the organisation', color: 'primary' },
  admin: { label: 'Administrator', description: 'Full access except ownership', color: 'indigo' },
  accountant: { label: 'Accountant', description: 'Ledger, reports and period close', color: 'teal' },
  ap_clerk: { label: 'AP clerk', description: 'Vendors, bills and payments', color: 'deep-orange', module: 'purchases' },
  ar_clerk: { label: 'AR clerk', description: 'Customers and items (sales)', color: 'cyan-darken-2', module: 'sales' },
  viewer: { label: 'Viewer', description: 'Read-only access', color: 'blue-grey' },
  auditor: { label: 'Auditor', description: 'Reads everything, including the audit log; changes nothing', color: 'brown' },
}

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role)
}

/** A role's friendly name; unknown roles (added on the server later) show as they are. */
export function roleLabel(role: string): string {
  return isRole(role) ? ROLE_INFO[role].label : role
}

export function roleDescription(role: string): string {
  return isRole(role) ? ROLE_INFO[role].description : ''
}

export function roleColor(role: string): string {
  return isRole(role) ? ROLE_INFO[role].color : 'secondary'
}

/** Whether the role can be given: its module exists (or it needs none). */
export function isOffered(role: Role): boolean {
  const module = ROLE_INFO[role].module
  return !module || LANDED_MODULES.has(module)
}

/**
 * Items for a roles `v-select`: value, label and a one-line description, for the roles that can be
 * given now plus any in `held` (so editing a member never drops a role they have).
 */
export function useRoleOptions(held: MaybeRefOrGetter<readonly string[]> = []) {
  return computed(() => ROLES
    .filter(role => isOffered(role) || toValue(held).includes(role))
    .map(role => ({ value: role, title: ROLE_INFO[role].label, subtitle: ROLE_INFO[role].description })))
}
