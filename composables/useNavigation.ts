import {
  mdiAccountGroupOutline,
  mdiViewDashboardOutline,
} from '@mdi/js'

export interface NavItem {
  title: string
  to: string
  /** An `@mdi/js` path. */
  icon: string
  /** Shown only to members holding this permission. */
  permission?: string
}

export interface NavSection {
  /** Sub-header above the items; the first section usually has none. */
  title?: string
  items: NavItem[]
}

/** The tenant shell's navigation. Modules add their entries here. */
const TENANT_NAVIGATION: NavSection[] = [
  {
    items: [
      { title: 'Dashboard', to: '/', icon: mdiViewDashboardOutline },
    ],
  },
  {
    title: 'Settings',
    items: [
      { title: 'Users & roles', to: '/settings/users', icon: mdiAccountGroupOutline, permission: 'users:read' },
    ],
  },
]

/** The tenant navigation, with entries the member may not open filtered out. */
export function useNavigation() {
  const session = useSessionStore()
  return computed<NavSection[]>(() =>
    TENANT_NAVIGATION
      .map(section => ({
        ...section,
        items: section.items.filter(item => !item.permission || session.can(item.permission)),
      }))
      .filter(section => section.items.length > 0),
  )
}
