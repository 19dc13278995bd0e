/**
 * Payment runs for the pages (server/contracts/payment-runs.ts): the list, one run, the bills a
 * run may pay, and what a run goes through — prepare, approve, cancel — and its files' addresses.
 */
import type { z } from 'zod'
import type { CreatePaymentRunBody, PayableBillResource, PaymentRunResource, PaymentRunSummary as PaymentRunSummaryResource } from '~~/server/contracts/payment-runs'
import type { PagedList } from '~/composables/useApi'

export type PaymentRun = z.output<typeof PaymentRunResource>
export type PaymentRunSummary = z.output<typeof PaymentRunSummaryResource>
export type PaymentRunStatus = PaymentRun['status']
export type PayableBill = z.output<typeof PayableBillResource>
export type PaymentRunInput = z.input<typeof CreatePaymentRunBody>
export type PaymentRunExclusion = NonNullable<PaymentRun['items'][number]['excludedReason']>

export const PAYMENT_RUN_STATUS_LABELS: Record<PaymentRunStatus, string> = { prepared: 'Awaiting approval', approved: 'Approved', cancelled: 'Cancelled' }
export const PAYMENT_RUN_STATUS_COLORS: Record<PaymentRunStatus, string> = { prepared: 'warning', approved: 'success', cancelled: 'grey-darken-1' }
/** Why a vendor is left out of a run, for a person. */
export const PAYMENT_RUN_EXCLUSION_LABELS: Record<PaymentRunExclusion, string> = {
  no_account: 'No confirmed bank details',
  invalid_iban: 'IBAN fails its check digits',
  invalid_account_number: 'Account number the bank file cannot carry',
  invalid_bic: 'BIC is not valid',
}

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function usePaymentRunList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<PaymentRunSummary>>('/api/v1/payment-runs', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function usePaymentRun(id: MaybeRefOrGetter<string>) {
  return useApiFetch<PaymentRun>(() => `/api/v1/payment-runs/${toValue(id)}`, { key: `payment-run:${toValue(id)}`, lazy: true })
}

/** The bills a run may pay now; due on or before the date when one is given. */
export function usePayableBills(dueOnOrBefore: MaybeRefOrGetter<string | undefined>) {
  return useApiFetch<{ data: PayableBill[] }>('/api/v1/payment-runs/payable-bills', {
    query: computed(() => compactQuery({ dueOnOrBefore: toValue(dueOnOrBefore) })), key: 'payable-bills', lazy: true,
  })
}

/** The changes a run goes through; each throws the API's error for the caller to show. */
export function usePaymentRunActions() {
  const api = useApi()
  return {
    prepare: (body: PaymentRunInput) => api<PaymentRun>('/api/v1/payment-runs', { method: 'POST', body }),
    approve: (run: Pick<PaymentRun, 'id'>) => api<PaymentRun>(`/api/v1/payment-runs/${run.id}/approve`, { method: 'POST' }),
    cancel: (run: Pick<PaymentRun, 'id'>) => api<PaymentRun>(`/api/v1/payment-runs/${run.id}/cancel`, { method: 'POST' }),
  }
}

export function paymentRunFileUrl(run: Pick<PaymentRun, 'id'>, format: 'pain001' | 'csv'): string {
  return `/api/v1/payment-runs/${run.id}/file?format=${format}`
}
