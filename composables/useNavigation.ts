import {
  mdiAccountGroupOutline,
  mdiBookOpenPageVariantOutline,
  mdiCalendarClockOutline,
  mdiCalendarLockOutline,
  mdiCashMultiple,
  mdiChartBar,
  mdiFileExportOutline,
  mdiFileTreeOutline,
  mdiFormatListBulleted,
  mdiNotebookOutline,
  mdiScaleBalance,
  mdiSwapHorizontal,
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
    title: 'Ledger',
    items: [
      { title: 'Chart of accounts', to: '/ledger/accounts', icon: mdiFileTreeOutline, permission: 'ledger:read' },
      { title: 'Journal', to: '/ledger/journal', icon: mdiNotebookOutline, permission: 'ledger:read' },
      { title: 'Periods', to: '/ledger/periods', icon: mdiCalendarLockOutline, permission: 'ledger:read' },
      { title: 'Exchange rates', to: '/ledger/rates', icon: mdiSwapHorizontal, permission: 'ledger:read' },
    ],
  },
  {
    title: 'Reports',
    items: [
      { title: 'Trial balance', to: '/reports/trial-balance', icon: mdiScaleBalance, permission: 'reports:read' },
      { title: 'Balance sheet', to: '/reports/balance-sheet', icon: mdiFormatListBulleted, permission: 'reports:read' },
      { title: 'Income statement', to: '/reports/income-statement', icon: mdiChartBar, permission: 'reports:read' },
      { title: 'Cash flow', to: '/reports/cash-flow', icon: mdiCashMultiple, permission: 'reports:read' },
      { title: 'General ledger', to: '/reports/general-ledger', icon: mdiBookOpenPageVariantOutline, permission: 'reports:read' },
      { title: 'Exports', to: '/reports/exports', icon: mdiFileExportOutline, permission: 'reports:export' },
      { title: 'Scheduled reports', to: '/reports/schedules', icon: mdiCalendarClockOutline, permission: 'reports:read' },
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
