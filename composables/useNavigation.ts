import {
  mdiAccountCashOutline,
  mdiAccountClockOutline,
  mdiAccountGroupOutline,
  mdiAccountMultipleOutline,
  mdiBankOutline,
  mdiBankTransfer,
  mdiBankTransferOut,
  mdiBookOpenPageVariantOutline,
  mdiCalendarCheckOutline,
  mdiCalendarClockOutline,
  mdiCalendarLockOutline,
  mdiCalendarSync,
  mdiCashMinus,
  mdiCashMultiple,
  mdiCashPlus,
  mdiChartBar,
  mdiChartBoxOutline,
  mdiFileDocumentMinusOutline,
  mdiFileDocumentOutline,
  mdiFileExportOutline,
  mdiFileTreeOutline,
  mdiFormatListBulleted,
  mdiNotebookOutline,
  mdiOfficeBuildingCogOutline,
  mdiPackageVariantClosed,
  mdiPlaylistCheck,
  mdiPercentBoxOutline,
  mdiPercentOutline,
  mdiScaleBalance,
  mdiStoreOutline,
  mdiReceiptTextOutline,
  mdiCheckDecagramOutline,
  mdiSwapHorizontal,
  mdiSwapHorizontalCircleOutline,
  mdiViewDashboardOutline,
} from '@mdi/js'
import { EXPORTS_PERMISSION } from '~~/server/domain/reports/catalog'
import { REPORT_LIST } from '~/composables/reports/useReports'

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

/**
 * Icons of the reports in the menu. The entries themselves, and the permissions they need, come
 * from the report catalogue (server/domain/reports/catalog.ts, through REPORT_LIST): a report added
 * there is listed, with the generic icon until it gets one here.
 */
const REPORT_ICONS: Record<string, string> = {
  'trial-balance': mdiScaleBalance,
  'balance-sheet': mdiFormatListBulleted,
  'income-statement': mdiChartBar,
  'cash-flow': mdiCashMultiple,
  'general-ledger': mdiBookOpenPageVariantOutline,
  'ar-aging': mdiAccountClockOutline,
  'ap-aging': mdiAccountCashOutline,
  'tax-summary': mdiPercentBoxOutline,
}

/** The tenant shell's navigation. Modules add their entries here; reports come from the catalogue. */
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
      { title: 'FX revaluation', to: '/ledger/revaluation', icon: mdiSwapHorizontalCircleOutline, permission: 'ledger:post' },
      { title: 'Year-end close', to: '/ledger/year-end', icon: mdiCalendarCheckOutline, permission: 'ledger:close' },
    ],
  },
  {
    title: 'Sales',
    items: [
      { title: 'Invoices', to: '/sales/invoices', icon: mdiFileDocumentOutline, permission: 'ar:read' },
      { title: 'Credit notes', to: '/sales/credit-notes', icon: mdiFileDocumentMinusOutline, permission: 'ar:read' },
      { title: 'Receipts', to: '/sales/receipts', icon: mdiCashPlus, permission: 'ar:read' },
      { title: 'Customers', to: '/sales/customers', icon: mdiAccountMultipleOutline, permission: 'ar:read' },
      { title: 'Items', to: '/sales/items', icon: mdiPackageVariantClosed, permission: 'ar:read' },
      { title: 'Recurring invoices', to: '/sales/recurring-invoices', icon: mdiCalendarSync, permission: 'ar:read' },
      { title: 'Tax rates', to: '/sales/tax-rates', icon: mdiPercentOutline, permission: 'tax:read' },
    ],
  },
  {
    title: 'Purchases',
    items: [
      { title: 'Bills', to: '/purchases/bills', icon: mdiReceiptTextOutline, permission: 'ap:read' },
      { title: 'Bills to approve', to: '/purchases/bills/approvals', icon: mdiCheckDecagramOutline, permission: 'ap:approve' },
      { title: 'Vendor credits', to: '/purchases/vendor-credits', icon: mdiFileDocumentMinusOutline, permission: 'ap:read' },
      { title: 'Payments', to: '/purchases/payments', icon: mdiCashMinus, permission: 'ap:read' },
      { title: 'Payment runs', to: '/purchases/payment-runs', icon: mdiBankTransferOut, permission: 'ap:read' },
      { title: 'Vendors', to: '/purchases/vendors', icon: mdiStoreOutline, permission: 'ap:read' },
    ],
  },
  {
    title: 'Banking',
    items: [
      { title: 'Bank accounts', to: '/banking/accounts', icon: mdiBankOutline, permission: 'bank:read' },
      { title: 'Bank rules', to: '/banking/rules', icon: mdiPlaylistCheck, permission: 'bank:read' },
      { title: 'Transfers', to: '/banking/transfers', icon: mdiBankTransfer, permission: 'bank:read' },
    ],
  },
  {
    title: 'Reports',
    items: [
      ...REPORT_LIST.map(report => ({ title: report.title, to: report.to, icon: REPORT_ICONS[report.name] ?? mdiChartBoxOutline, permission: report.permissions.json })),
      // The exports routes' permission, from the report catalogue as the reports' own.
      { title: 'Exports', to: '/reports/exports', icon: mdiFileExportOutline, permission: EXPORTS_PERMISSION },
      { title: 'Scheduled reports', to: '/reports/schedules', icon: mdiCalendarClockOutline, permission: 'reports:read' },
    ],
  },
  {
    title: 'Settings',
    items: [
      // Every member reads the organisation's settings (read-only without settings:manage).
      { title: 'Organisation', to: '/settings/organisation', icon: mdiOfficeBuildingCogOutline },
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
