/** The kinds of movement on a customer or vendor statement (pure: the contracts and the domain share them). */
export const STATEMENT_ROW_TYPES = ['invoice', 'credit_note', 'receipt', 'invoice_void', 'credit_note_void', 'receipt_void', 'fx_difference', 'fx_difference_void'] as const
/** A vendor statement's: bills and their voids (payments, vendor credits and FX differences join with them). */
export const VENDOR_STATEMENT_ROW_TYPES = ['bill', 'bill_void'] as const
export type StatementRowType = typeof STATEMENT_ROW_TYPES[number] | typeof VENDOR_STATEMENT_ROW_TYPES[number]
