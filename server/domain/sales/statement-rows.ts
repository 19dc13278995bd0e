/** The kinds of movement on a customer statement (pure: the contract and the domain share it). */
export const STATEMENT_ROW_TYPES = ['invoice', 'credit_note', 'receipt', 'invoice_void', 'credit_note_void', 'receipt_void', 'fx_difference', 'fx_difference_void'] as const
export type StatementRowType = typeof STATEMENT_ROW_TYPES[number]
