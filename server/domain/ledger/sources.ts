/**
 * The kinds of document a journal entry can come from (its `source`), in a module of its own so the
 * contracts and pages can name them without importing the database layer. A manual entry has no
 * source: it is its own document. Modules that post (invoices, bills, payments…) add theirs here.
 * The database knows no list (`journal_entries_source_check` takes any lower-case word); what it
 * does know is that only a manual entry (no source) or a reversal from the API (`journal_entry`)
 * is kept off the AR/AP control accounts (`app_ledger_guard_line`, 0016): every type here but
 * `journal_entry` may post to them, so a sales document's entry and its void reversal carry the
 * document's own type.
 */
export const SOURCE_TYPES = ['journal_entry', 'revaluation', 'fiscal_year', 'invoice', 'credit_note', 'receipt', 'sales_allocation', 'bill', 'vendor_credit', 'bill_payment', 'purchase_allocation', 'bank_account', 'bank_transaction'] as const
export type SourceType = typeof SOURCE_TYPES[number]
export interface PostingSource { type: SourceType, id: string }
