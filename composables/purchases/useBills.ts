/**
 * Bills for the pages (server/contracts/bills.ts): list, one bill, and what a bill goes through —
 * save, submit, approve, reject, void, attach. The lines are the sales documents' (the same grid,
 * arithmetic and totals: `useDocumentLines` with `side: 'purchases'`).
 */
import type { z } from 'zod'
import type { BillResource, BillSummary as BillSummaryResource, CreateBillBody, BillAttachmentResource } from '~~/server/contracts/bills'
import type { PagedList } from '~/composables/useApi'

export type Bill = z.output<typeof BillResource>
export type BillSummary = z.output<typeof BillSummaryResource>
export type BillStatus = Bill['status']
export type BillAttachment = z.output<typeof BillAttachmentResource>
export type BillInput = Omit<z.input<typeof CreateBillBody>, 'submit'>

export const BILL_STATUS_LABELS: Record<BillStatus, string> = {
  draft: 'Draft', awaiting_approval: 'Awaiting approval', open: 'Open', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void',
}
export const BILL_STATUS_COLORS: Record<BillStatus, string> = {
  draft: 'grey', awaiting_approval: 'warning', open: 'info', partially_paid: 'warning', paid: 'success', void: 'grey-darken-1',
}

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useBillList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<BillSummary>>('/api/v1/bills', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useBill(id: MaybeRefOrGetter<string>) {
  return useApiFetch<Bill>(() => `/api/v1/bills/${toValue(id)}`, { key: `bill:${toValue(id)}`, lazy: true })
}

/** The changes a bill goes through; each throws the API's error for the caller to show. */
export function useBillActions() {
  const api = useApi()
  return {
    get: (bill: Pick<Bill, 'id'>) => api<Bill>(`/api/v1/bills/${bill.id}`),
    create: (body: BillInput, submit: boolean) => api<Bill>('/api/v1/bills', { method: 'POST', body: { ...body, submit } }),
    update: (bill: Pick<Bill, 'id' | 'version'>, body: Partial<BillInput>) => api<Bill>(`/api/v1/bills/${bill.id}`, { method: 'PATCH', body: { ...body, version: bill.version } }),
    submit: (bill: Pick<Bill, 'id'>) => api<Bill>(`/api/v1/bills/${bill.id}/submit`, { method: 'POST' }),
    approve: (bill: Pick<Bill, 'id'>) => api<Bill>(`/api/v1/bills/${bill.id}/approve`, { method: 'POST' }),
    reject: (bill: Pick<Bill, 'id'>, reason: string) => api<Bill>(`/api/v1/bills/${bill.id}/reject`, { method: 'POST', body: { reason } }),
    void: (bill: Pick<Bill, 'id'>, date: string) => api<Bill>(`/api/v1/bills/${bill.id}/void`, { method: 'POST', body: { date } }),
    remove: (bill: Pick<Bill, 'id'>) => api(`/api/v1/bills/${bill.id}`, { method: 'DELETE' }),
    /** Sends the file as a multipart form: its own name goes with it; the server reads its type from the bytes. */
    attach: (bill: Pick<Bill, 'id'>, file: File) => {
      const form = new FormData()
      form.append('file', file)
      return api<BillAttachment>(`/api/v1/bills/${bill.id}/attachments`, { method: 'POST', body: form })
    },
  }
}

export function billAttachmentUrl(bill: Pick<Bill, 'id'>, attachment: Pick<BillAttachment, 'id'>): string {
  return `/api/v1/bills/${bill.id}/attachments/${attachment.id}`
}
