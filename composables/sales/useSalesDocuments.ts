/**
 * Invoices and credit notes for the pages (server/contracts/sales-documents.ts): one set of
 * composables for both kinds, told apart by `kind`, as the API and the domain do.
 */
import type { z } from 'zod'
import type { CreateCreditNoteBody, CreateInvoiceBody, InvoiceResource, InvoiceSummary } from '~~/server/contracts/sales-documents'
import type { PagedList } from '~/composables/useApi'

export type SalesDocument = z.output<typeof InvoiceResource>
export type SalesDocumentSummary = z.output<typeof InvoiceSummary>
export type SalesDocumentStatus = SalesDocument['status']
export type DocumentKind = SalesDocument['kind']
/** What the editor sends: an invoice's fields and a credit note's, `issue` for create-and-issue. */
export type SalesDocumentInput = Omit<z.input<typeof CreateInvoiceBody>, 'issue'> & Pick<z.input<typeof CreateCreditNoteBody>, 'invoiceId'>

/** What differs between the kinds on the pages: where they live and how they are named. */
export const DOCUMENT_KINDS = {
  invoice: { api: '/api/v1/invoices', page: '/sales/invoices', noun: 'invoice', title: 'Invoice', plural: 'Invoices', testid: 'invoice' },
  credit_note: { api: '/api/v1/credit-notes', page: '/sales/credit-notes', noun: 'credit note', title: 'Credit note', plural: 'Credit notes', testid: 'credit-note' },
} as const

/** A document's status as people read it; `overdue` is derived (issued, unpaid, past its due date). */
export type DisplayStatus = SalesDocumentStatus | 'overdue'
export const STATUS_LABELS: Record<DisplayStatus, string> = {
  draft: 'Draft', issued: 'Issued', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void', overdue: 'Overdue',
}
export const STATUS_COLORS: Record<DisplayStatus, string> = {
  draft: 'grey', issued: 'info', partially_paid: 'warning', paid: 'success', void: 'grey-darken-1', overdue: 'error',
}

/** Today (YYYY-MM-DD) in the organisation's time zone, the day the API's "overdue" counts from. */
export function organisationToday(): string {
  const { timeZone } = currentOrgFormat()
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  }
  catch {
    return todayIso()
  }
}

/** Issued or partially paid, with something due, past its due date: what the list's "Overdue" filter finds. */
export function displayStatus(doc: Pick<SalesDocumentSummary, 'status' | 'dueDate' | 'amountDue'>, today = organisationToday()): DisplayStatus {
  const open = doc.status === 'issued' || doc.status === 'partially_paid'
  return open && doc.dueDate && doc.dueDate < today && !isZeroAmount(doc.amountDue) ? 'overdue' : doc.status
}

/** `date` plus `days` calendar days, as an ISO date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useSalesDocumentList(kind: DocumentKind, query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<SalesDocumentSummary>>(DOCUMENT_KINDS[kind].api, { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

export function useSalesDocument(kind: DocumentKind, id: MaybeRefOrGetter<string>) {
  return useApiFetch<SalesDocument>(() => `${DOCUMENT_KINDS[kind].api}/${toValue(id)}`, { key: `sales-document:${kind}:${toValue(id)}`, lazy: true })
}

/** The changes a document goes through; each throws the API's error for the caller to show. */
export function useSalesDocumentActions(kind: DocumentKind) {
  const api = useApi()
  const base = DOCUMENT_KINDS[kind].api
  return {
    create: (body: SalesDocumentInput, issue: boolean) => api<SalesDocument>(base, { method: 'POST', body: { ...body, issue } }),
    update: (doc: Pick<SalesDocument, 'id' | 'version'>, body: Partial<SalesDocumentInput>) =>
      api<SalesDocument>(`${base}/${doc.id}`, { method: 'PATCH', body: { ...body, version: doc.version } }),
    issue: (doc: Pick<SalesDocument, 'id'>) => api<SalesDocument>(`${base}/${doc.id}/issue`, { method: 'POST' }),
    void: (doc: Pick<SalesDocument, 'id'>, date: string) => api<SalesDocument>(`${base}/${doc.id}/void`, { method: 'POST', body: { date } }),
    remove: (doc: Pick<SalesDocument, 'id'>) => api(`${base}/${doc.id}`, { method: 'DELETE' }),
    send: (doc: Pick<SalesDocument, 'id'>, body: { to: string[], message?: string }) => api(`${base}/${doc.id}/send`, { method: 'POST', body }),
  }
}

/** The document's PDF (`GET …/{id}/pdf`), opened by the browser as a download. */
export function documentPdfUrl(kind: DocumentKind, id: string): string {
  return `${DOCUMENT_KINDS[kind].api}/${id}/pdf`
}

/** Where "Record payment" goes: the receipt form, filled for this invoice. */
export function recordPaymentLink(doc: Pick<SalesDocument, 'id' | 'customerId'>) {
  return { path: '/sales/receipts/new', query: { customerId: doc.customerId, invoiceId: doc.id } }
}

/** A document amount in its currency's decimals, as the organisation writes figures. */
export function documentMoney(amount: string, currency: string): string {
  return formatMoney(amount, currencyPlaces(currency))
}
