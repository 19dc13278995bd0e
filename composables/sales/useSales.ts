/**
 * Sales lists and changes for the pages: customers, items and tax rates (server/contracts/sales.ts).
 * Types are the contracts' own resources, so a page cannot drift from the API.
 */
import type { z } from 'zod'
import type { CustomerResource, ItemResource, TaxRateResource } from '~~/server/contracts/sales'
import type { PagedList } from '~/composables/useApi'

export type Customer = z.output<typeof CustomerResource>
export type Item = z.output<typeof ItemResource>
export type TaxRate = z.output<typeof TaxRateResource>

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useCustomerList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<Customer>>('/api/v1/customers', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useItemList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<Item>>('/api/v1/items', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useTaxRateList(query: MaybeRefOrGetter<Query>, key?: string) {
  return useApiFetch<PagedList<TaxRate>>('/api/v1/tax-rates', { query: computed(() => compactQuery(toValue(query))), lazy: true, ...(key ? { key } : {}) })
}

export interface CustomerInput { name: string, email: string | null, currency: string | null, paymentTermsDays: number | null, taxNumber: string | null, billingAddress: string | null, code: string | null, isActive?: boolean }
export interface ItemInput {
  code: string
  name: string
  kind: 'service' | 'product'
  description: string | null
  salesPrice: string | null
  purchasePrice: string | null
  incomeAccountId: string | null
  expenseAccountId: string | null
  salesTaxRateId: string | null
  purchaseTaxRateId: string | null
  isActive?: boolean
}
export interface TaxRateInput {
  code: string
  name: string
  rate?: string
  scope: 'sales' | 'purchases' | 'both'
  accountId?: string | null
  components?: { name: string, rate: string, accountId?: string }[]
  isActive?: boolean
}

/** Sales changes; each throws the API's error for the caller to show. */
export function useSalesActions() {
  const api = useApi()
  return {
    createCustomer: (body: CustomerInput) => api<Customer>('/api/v1/customers', { method: 'POST', body }),
    updateCustomer: (c: Pick<Customer, 'id' | 'version'>, body: Partial<CustomerInput>) =>
      api<Customer>(`/api/v1/customers/${c.id}`, { method: 'PATCH', body: { ...body, version: c.version } }),
    createItem: (body: ItemInput) => api<Item>('/api/v1/items', { method: 'POST', body }),
    updateItem: (i: Pick<Item, 'id' | 'version'>, body: Partial<ItemInput>) =>
      api<Item>(`/api/v1/items/${i.id}`, { method: 'PATCH', body: { ...body, version: i.version } }),
    createTaxRate: (body: TaxRateInput) => api<TaxRate>('/api/v1/tax-rates', { method: 'POST', body }),
    updateTaxRate: (r: Pick<TaxRate, 'id' | 'version'>, body: Partial<TaxRateInput>) =>
      api<TaxRate>(`/api/v1/tax-rates/${r.id}`, { method: 'PATCH', body: { ...body, version: r.version } }),
    deleteTaxRate: (r: Pick<TaxRate, 'id'>) => api(`/api/v1/tax-rates/${r.id}`, { method: 'DELETE' }),
  }
}

export const SCOPE_LABELS = { sales: 'Sales', purchases: 'Purchases', both: 'Sales and purchases' } as const
export const KIND_LABELS = { service: 'Service', product: 'Product' } as const

/** A percentage as people write it: "20.0000" → "20%", "7.5000" → "7.5%", "10" → "10%". */
export function formatTaxRate(rate: string): string {
  return `${rate.includes('.') ? rate.replace(/\.?0+$/, '') : rate}%`
}
