/**
 * Receipts and allocations for the pages (server/contracts/receipts.ts): the list, one receipt,
 * the changes (record, allocate, void; a credit note's allocation), the customer's open invoices
 * and the auto-allocation the receipt form offers.
 */
import type { z } from 'zod'
import type { AllocationResource, CreateReceiptBody, ReceiptResource, ReceiptSummary } from '~~/server/contracts/receipts'
import type { PagedList } from '~/composables/useApi'
import type { SalesDocumentSummary } from '~/composables/sales/useSalesDocuments'
import type { LedgerAccount } from '~/composables/ledger/useLedger'

export type Receipt = z.output<typeof ReceiptResource>
export type ReceiptListRow = z.output<typeof ReceiptSummary>
export type Allocation = z.output<typeof AllocationResource>
export type ReceiptInput = z.input<typeof CreateReceiptBody>

/** A receipt's state as the list shows it: void, or how much of it is allocated. */
export type ReceiptDisplayStatus = 'allocated' | 'part_allocated' | 'unallocated' | 'void'
export const RECEIPT_STATUS_LABELS: Record<ReceiptDisplayStatus, string> = {
  allocated: 'Allocated', part_allocated: 'Part allocated', unallocated: 'Unallocated', void: 'Void',
}
export const RECEIPT_STATUS_COLORS: Record<ReceiptDisplayStatus, string> = {
  allocated: 'success', part_allocated: 'info', unallocated: 'warning', void: 'grey-darken-1',
}

export function receiptStatus(r: Pick<ReceiptListRow, 'status' | 'amountAllocated' | 'amountUnallocated'>): ReceiptDisplayStatus {
  if (r.status === 'void') return 'void'
  if (isZeroAmount(r.amountUnallocated)) return 'allocated'
  return isZeroAmount(r.amountAllocated) ? 'unallocated' : 'part_allocated'
}

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useReceiptList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<ReceiptListRow>>('/api/v1/receipts', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useReceipt(id: MaybeRefOrGetter<string>) {
  return useApiFetch<Receipt>(() => `/api/v1/receipts/${toValue(id)}`, { key: `receipt:${toValue(id)}`, lazy: true })
}

/** Receipt changes; each throws the API's error for the caller to show. */
export function useReceiptActions() {
  const api = useApi()
  return {
    create: (body: ReceiptInput) => api<Receipt>('/api/v1/receipts', { method: 'POST', body }),
    allocate: (receiptId: string, body: { invoiceId: string, amount: string, date?: string }) =>
      api<Allocation>(`/api/v1/receipts/${receiptId}/allocations`, { method: 'POST', body }),
    void: (receiptId: string, date: string) => api<Receipt>(`/api/v1/receipts/${receiptId}/void`, { method: 'POST', body: { date } }),
    allocateCreditNote: (creditNoteId: string, body: { invoiceId: string, amount: string, date?: string }) =>
      api<Allocation>(`/api/v1/credit-notes/${creditNoteId}/allocations`, { method: 'POST', body }),
  }
}

type OldestDueKey = { dueDate: string | null, date: string, number: string | null }
/** Oldest due first (then the oldest date, then the number): the order money is applied in (invoices and bills). */
export function byOldestDue(a: OldestDueKey, b: OldestDueKey): number {
  return (a.dueDate ?? a.date).localeCompare(b.dueDate ?? b.date) || a.date.localeCompare(b.date) || (a.number ?? '').localeCompare(b.number ?? '')
}

/**
 * A customer's invoices that can still be paid (issued or partially paid, something due), oldest
 * due first. The list endpoint takes one status at a time, so both are asked for.
 */
export async function fetchOpenInvoices(api: ReturnType<typeof useApi>, customerId: string): Promise<SalesDocumentSummary[]> {
  const ask = (status: string) => api<PagedList<SalesDocumentSummary>>(DOCUMENT_KINDS.invoice.api, { query: { customerId, status, pageSize: 100, sort: 'date:asc' } })
  const [issued, partly] = await Promise.all([ask('issued'), ask('partially_paid')])
  return [...issued.data, ...partly.data].filter(i => !isZeroAmount(i.amountDue)).sort(byOldestDue)
}

/**
 * Spreads `amount` over the invoices in the order given (oldest due first), each up to what it
 * has due; answers the amount per invoice id, fixed to `places` (invoices that get nothing are left out).
 */
export function autoAllocate(amount: string, invoices: { id: string, amountDue: string }[], places: number): Record<string, string> {
  let left = toDec(amount)
  const result: Record<string, string> = {}
  for (const invoice of invoices) {
    if (left.lte(0)) break
    const due = toDec(invoice.amountDue)
    const take = left.lt(due) ? left : due
    if (take.gt(0)) result[invoice.id] = take.toFixed(places)
    left = left.minus(take)
  }
  return result
}

/** Accounts money can be deposited to: active cash and bank accounts that take postings. */
export function depositAccounts(accounts: LedgerAccount[]): LedgerAccount[] {
  return accounts.filter(a => a.isActive && !a.isParent && !a.isControl && a.type === 'asset' && (a.subtype === 'cash' || a.subtype === 'bank'))
}
