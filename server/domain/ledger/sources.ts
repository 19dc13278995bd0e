/**
 * The kinds of document a journal entry can come from (its `source`), in a module of its own so the
 * contracts and pages can name them without importing the database layer. A manual entry has no
 * source: it is its own document. Modules that post (invoices, bills, payments…) add theirs here.
 */
export const SOURCE_TYPES = ['journal_entry', 'revaluation', 'fiscal_year'] as const
export type SourceType = typeof SOURCE_TYPES[number]
export interface PostingSource { type: SourceType, id: string }
