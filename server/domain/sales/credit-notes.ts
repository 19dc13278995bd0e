/**
 * Credit notes (SPEC §6 module 5): the same documents as invoices (./documents.ts) with `invoiceId`
 * naming the original (an issued invoice of the same customer and currency; the database's foreign
 * key holds customer and currency), numbered `CN-000001` on their own counter, and posted the other
 * way round: credit the AR control account, debit income and tax. Their allocation to invoices is
 * the allocations' work (`amount_allocated`).
 */
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { createDocument, deleteDocument, getDocument, issueDocument, listDocuments, updateDocument, type DocumentInput, type DocumentListQuery, type DocumentPatch } from './documents'

export const listCreditNotes = (tx: Tx, query: DocumentListQuery) => listDocuments(tx, 'credit_note', query)
export const getCreditNote = (tx: Tx, id: string) => getDocument(tx, 'credit_note', id)
export const createCreditNote = (tx: Tx, tenantId: string, actor: Actor, input: DocumentInput & { issue?: boolean }) => createDocument(tx, tenantId, actor, 'credit_note', input)
export const updateCreditNote = (tx: Tx, tenantId: string, actor: Actor, id: string, patch: DocumentPatch) => updateDocument(tx, tenantId, actor, 'credit_note', id, patch)
export const deleteCreditNote = (tx: Tx, tenantId: string, actor: Actor, id: string) => deleteDocument(tx, tenantId, actor, 'credit_note', id)
export const issueCreditNote = (tx: Tx, tenantId: string, actor: Actor, id: string) => issueDocument(tx, tenantId, actor, 'credit_note', id)
