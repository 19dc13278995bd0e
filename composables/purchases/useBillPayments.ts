/**
 * Bill payments, vendor credits and their allocations for the pages
 * (server/contracts/bill-payments.ts, vendor-credits.ts): lists, one record, the changes, and a
 * vendor's open bills — the purchases twin of `useReceipts`.
 */
import type { z } from 'zod'
import type { BillAllocationResource, BillPaymentResource, BillPaymentSummary, CreateBillPaymentBody } from '~~/server/contracts/bill-payments'
import type { CreateVendorCreditBody, VendorCreditResource, VendorCreditSummary } from '~~/server/contracts/vendor-credits'
import type { PagedList } from '~/composables/useApi'
import type { BillSummary } from '~/composables/purchases/useBills'

export type BillPayment = z.output<typeof BillPaymentResource>
export type BillPaymentListRow = z.output<typeof BillPaymentSummary>
export type BillAllocation = z.output<typeof BillAllocationResource>
export type BillPaymentInput = z.input<typeof CreateBillPaymentBody>
export type VendorCredit = z.output<typeof VendorCreditResource>
export type VendorCreditListRow = z.output<typeof VendorCreditSummary>
export type VendorCreditInput = Omit<z.input<typeof CreateVendorCreditBody>, 'issue'>

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useBillPaymentList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<BillPaymentListRow>>('/api/v1/bill-payments', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useBillPayment(id: MaybeRefOrGetter<string>) {
  return useApiFetch<BillPayment>(() => `/api/v1/bill-payments/${toValue(id)}`, { key: `bill-payment:${toValue(id)}`, lazy: true })
}

export function useVendorCreditList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<VendorCreditListRow>>('/api/v1/vendor-credits', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useVendorCredit(id: MaybeRefOrGetter<string>) {
  return useApiFetch<VendorCredit>(() => `/api/v1/vendor-credits/${toValue(id)}`, { key: `vendor-credit:${toValue(id)}`, lazy: true })
}

type AllocateBody = { billId: string, amount: string, date?: string }

/** Payment and vendor-credit changes; each throws the API's error for the caller to show. */
export function useBillPaymentActions() {
  const api = useApi()
  return {
    create: (body: BillPaymentInput) => api<BillPayment>('/api/v1/bill-payments', { method: 'POST', body }),
    allocate: (paymentId: string, body: AllocateBody) => api<BillAllocation>(`/api/v1/bill-payments/${paymentId}/allocations`, { method: 'POST', body }),
    void: (paymentId: string, date: string) => api<BillPayment>(`/api/v1/bill-payments/${paymentId}/void`, { method: 'POST', body: { date } }),
    allocateVendorCredit: (creditId: string, body: AllocateBody) => api<BillAllocation>(`/api/v1/vendor-credits/${creditId}/allocations`, { method: 'POST', body }),
  }
}

export function useVendorCreditActions() {
  const api = useApi()
  return {
    get: (credit: Pick<VendorCredit, 'id'>) => api<VendorCredit>(`/api/v1/vendor-credits/${credit.id}`),
    create: (body: VendorCreditInput, issue: boolean) => api<VendorCredit>('/api/v1/vendor-credits', { method: 'POST', body: { ...body, issue } }),
    update: (credit: Pick<VendorCredit, 'id' | 'version'>, body: Partial<VendorCreditInput>) =>
      api<VendorCredit>(`/api/v1/vendor-credits/${credit.id}`, { method: 'PATCH', body: { ...body, version: credit.version } }),
    issue: (credit: Pick<VendorCredit, 'id'>) => api<VendorCredit>(`/api/v1/vendor-credits/${credit.id}/issue`, { method: 'POST' }),
    void: (credit: Pick<VendorCredit, 'id'>, date: string) => api<VendorCredit>(`/api/v1/vendor-credits/${credit.id}/void`, { method: 'POST', body: { date } }),
    remove: (credit: Pick<VendorCredit, 'id'>) => api(`/api/v1/vendor-credits/${credit.id}`, { method: 'DELETE' }),
  }
}

/** A vendor's bills that can still be paid (open or partially paid, something due), oldest due first. */
export async function fetchOpenBills(api: ReturnType<typeof useApi>, vendorId: string): Promise<BillSummary[]> {
  const ask = (status: string) => api<PagedList<BillSummary>>('/api/v1/bills', { query: { vendorId, status, pageSize: 100, sort: 'date:asc' } })
  const [open, partly] = await Promise.all([ask('open'), ask('partially_paid')])
  return [...open.data, ...partly.data].filter(b => !isZeroAmount(b.amountDue)).sort(byOldestDue)
}
