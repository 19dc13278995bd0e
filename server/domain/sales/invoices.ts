/**
 * Invoices (SPEC §6 module 5): drafts, issue, void. What invoices share with credit notes — the
 * body, the arithmetic, numbering and posting — is in ./documents.ts; this file adds the void.
 *
 * Void posts the reversal of the invoice's entry (exact amounts swapped, dated the invoice's date
 * unless given; 422 LEDGER_PERIOD_CLOSED in a closed period) with the invoice as its source, so it
 * passes the control-account guard that keeps manual reversals off the AR control account. It is
 * refused while anything is allocated to the invoice (422 INVOICE_HAS_ALLOCATIONS): the allocations
 * lock the invoice row to change `amount_allocated`, and this takes it FOR UPDATE first, so the two
 * never cross; the database refuses a void with anything allocated too (0018's guard).
 */
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { RuleError } from '../errors'
import { recordEvent } from '../events/events'
import { reverseEntry } from '../ledger/entries'
import { Dec } from '../money'
import {
  createDocument, deleteDocument, getDocument, issueDocument, listDocuments, lockIssued, markVoid, updateDocument,
  type DocumentInput, type DocumentListQuery, type DocumentPatch, type SalesDocument,
} from './documents'

export type Invoice = SalesDocument

export const listInvoices = (tx: Tx, query: DocumentListQuery) => listDocuments(tx, 'invoice', query)
export const getInvoice = (tx: Tx, id: string) => getDocument(tx, 'invoice', id)
export const createInvoice = (tx: Tx, tenantId: string, actor: Actor, input: DocumentInput & { issue?: boolean }) => createDocument(tx, tenantId, actor, 'invoice', input)
export const updateInvoice = (tx: Tx, tenantId: string, actor: Actor, id: string, patch: DocumentPatch) => updateDocument(tx, tenantId, actor, 'invoice', id, patch)
export const deleteInvoice = (tx: Tx, tenantId: string, actor: Actor, id: string) => deleteDocument(tx, tenantId, actor, 'invoice', id)
export const issueInvoice = (tx: Tx, tenantId: string, actor: Actor, id: string) => issueDocument(tx, tenantId, actor, 'invoice', id)

export async function voidInvoice(tx: Tx, tenantId: string, actor: Actor, id: string, input: { date?: string } = {}): Promise<Invoice> {
  const row = await lockIssued(tx, 'invoice', id)
  if (new Dec(row.amountAllocated).gt(0)) {
    throw new RuleError(`Invoice ${row.number} has ${row.amountAllocated} ${row.currency} allocated; remove the allocations first`, 'INVOICE_HAS_ALLOCATIONS')
  }
  const date = input.date ?? row.date
  if (date < row.date) throw new RuleError('An invoice is voided on or after its date', 'SALES_DOCUMENT_INVALID', { date: `must be on or after the invoice date ${row.date}` })
  const reversal = await reverseEntry(tx, tenantId, actor, row.journalEntryId!, date, { type: 'invoice', id })
  const voided = await markVoid(tx, row, reversal.id)
  await recordAudit(tx, tenantId, actor, { action: 'invoice.void', entityType: 'invoice', entityId: id, after: { date, voidEntryId: reversal.id } })
  await recordEvent(tx, tenantId, { type: 'invoice.voided', entityType: 'invoice', entityId: id, data: voided })
  return voided
}
