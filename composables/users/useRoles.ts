export const ROLES = ['owner', 'admin', 'accountant', 'ap_clerk', 'ar_clerk', 'viewer', 'auditor'] as const
export type Role = typeof ROLES[number]

interface RoleInfo {
  label: string
  description: string
  color: string
}

const ROLE_INFO: Record<Role, RoleInfo> = {
  owner: { label: 'Owner', description: 'Full access, including ownership of the organisation', color: 'primary' },
  admin: { label: 'Administrator', description: 'Full access except ownership', color: 'indigo' },
  accountant: { label: 'Accountant', description: 'Ledger, reports and period close', color: 'teal' },
  ap_clerk: { label: 'AP clerk', description: 'Vendors, bills and payments', color: 'deep-orange' },
  ar_clerk: { label: 'AR clerk', description: 'Customers, invoices and receipts', color: 'cyan-darken-2' },
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

/** Items for a roles `v-select`: value, label and a one-line description. */
export function useRoleOptions() {
  return ROLES.map(role => ({ value: role, title: ROLE_INFO[role].label, subtitle: ROLE_INFO[role].description }))
}
