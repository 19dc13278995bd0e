/**
 * Account types, subtypes and the charts a tenant starts with (SPEC 6.3).
 * Kept free of Node and database imports: the pages import it for their forms.
 */
export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const
export type AccountType = typeof ACCOUNT_TYPES[number]

export const SUBTYPES_BY_TYPE = {
  asset: ['cash', 'bank', 'receivable', 'inventory', 'prepaid', 'other_current_asset', 'fixed_asset', 'accumulated_depreciation'],
  liability: ['payable', 'tax_payable', 'accrued_liability', 'loan', 'unearned_revenue'],
  equity: ['capital', 'retained_earnings', 'dividends', 'drawings'],
  revenue: ['operating_revenue', 'other_income'],
  expense: ['cost_of_sales', 'operating_expense', 'depreciation', 'other_expense'],
} as const satisfies Record<AccountType, readonly string[]>

export type Subtype = typeof SUBTYPES_BY_TYPE[AccountType][number]
export const SUBTYPES = Object.values(SUBTYPES_BY_TYPE).flat() as Subtype[]

/** Contra accounts take the opposite normal balance and stay in their section as deductions. */
export const CONTRA_SUBTYPES: ReadonlySet<string> = new Set(['accumulated_depreciation', 'dividends', 'drawings'])

export function defaultSubtype(type: AccountType): Subtype {
  return ({ asset: 'other_current_asset', liability: 'accrued_liability', equity: 'capital', revenue: 'operating_revenue', expense: 'operating_expense' } as const)[type]
}

export function subtypeFits(type: AccountType, subtype: string): boolean {
  return (SUBTYPES_BY_TYPE[type] as readonly string[]).includes(subtype)
}

/** +1 when the account's normal balance is a debit, -1 when it is a credit. */
export function normalSign(type: AccountType, subtype: string): 1 | -1 {
  const debitNormal = type === 'asset' || type === 'expense'
  return (debitNormal !== CONTRA_SUBTYPES.has(subtype)) ? 1 : -1
}

export type SystemKey = 'retained_earnings' | 'fx_gain_loss' | 'fx_rounding'

export interface ChartAccount { code: string, name: string, type: AccountType, subtype: Subtype, systemKey?: SystemKey, parent?: string }

/** In every chart, `none` included. */
export const SYSTEM_ACCOUNTS: ChartAccount[] = [
  { code: '3900', name: 'Retained earnings', type: 'equity', subtype: 'retained_earnings', systemKey: 'retained_earnings' },
  { code: '7900', name: 'Foreign exchange gain/loss', type: 'expense', subtype: 'other_expense', systemKey: 'fx_gain_loss' },
  { code: '7910', name: 'Foreign exchange rounding', type: 'expense', subtype: 'other_expense', systemKey: 'fx_rounding' },
]

/** A sound small-business chart. */
export const STANDARD_CHART: ChartAccount[] = [
  { code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash' },
  { code: '1010', name: 'Bank account', type: 'asset', subtype: 'bank' },
  { code: '1100', name: 'Accounts receivable', type: 'asset', subtype: 'receivable' },
  { code: '1200', name: 'Inventory', type: 'asset', subtype: 'inventory' },
  { code: '1300', name: 'Prepaid expenses', type: 'asset', subtype: 'prepaid' },
  { code: '1400', name: 'Other current assets', type: 'asset', subtype: 'other_current_asset' },
  { code: '1500', name: 'Equipment', type: 'asset', subtype: 'fixed_asset' },
  { code: '1510', name: 'Accumulated depreciation – equipment', type: 'asset', subtype: 'accumulated_depreciation' },
  { code: '1600', name: 'Vehicles', type: 'asset', subtype: 'fixed_asset' },
  { code: '1610', name: 'Accumulated depreciation – vehicles', type: 'asset', subtype: 'accumulated_depreciation' },
  { code: '2000', name: 'Accounts payable', type: 'liability', subtype: 'payable' },
  { code: '2100', name: 'Sales tax payable', type: 'liability', subtype: 'tax_payable' },
  { code: '2200', name: 'Accrued liabilities', type: 'liability', subtype: 'accrued_liability' },
  { code: '2210', name: 'Wages payable', type: 'liability', subtype: 'accrued_liability' },
  { code: '2300', name: 'Unearned revenue', type: 'liability', subtype: 'unearned_revenue' },
  { code: '2500', name: 'Bank loan', type: 'liability', subtype: 'loan' },
  { code: '3000', name: 'Owner\'s capital', type: 'equity', subtype: 'capital' },
  { code: '3100', name: 'Opening balance equity', type: 'equity', subtype: 'capital' },
  { code: '3200', name: 'Dividends', type: 'equity', subtype: 'dividends' },
  { code: '4000', name: 'Sales revenue', type: 'revenue', subtype: 'operating_revenue' },
  { code: '4100', name: 'Service revenue', type: 'revenue', subtype: 'operating_revenue' },
  { code: '4900', name: 'Interest income', type: 'revenue', subtype: 'other_income' },
  { code: '5000', name: 'Cost of goods sold', type: 'expense', subtype: 'cost_of_sales' },
  { code: '6000', name: 'Salaries and wages', type: 'expense', subtype: 'operating_expense' },
  { code: '6100', name: 'Rent expense', type: 'expense', subtype: 'operating_expense' },
  { code: '6200', name: 'Utilities expense', type: 'expense', subtype: 'operating_expense' },
  { code: '6300', name: 'Supplies expense', type: 'expense', subtype: 'operating_expense' },
  { code: '6400', name: 'Insurance expense', type: 'expense', subtype: 'operating_expense' },
  { code: '6500', name: 'Advertising expense', type: 'expense', subtype: 'operating_expense' },
  { code: '6600', name: 'Depreciation expense', type: 'expense', subtype: 'depreciation' },
  { code: '6900', name: 'Bank charges', type: 'expense', subtype: 'operating_expense' },
  { code: '7000', name: 'Interest expense', type: 'expense', subtype: 'other_expense' },
  { code: '9999', name: 'Suspense', type: 'asset', subtype: 'other_current_asset' },
]
