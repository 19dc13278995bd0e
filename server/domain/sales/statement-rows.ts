/** The kinds of movement on a customer or vendor statement (pure: the contracts and the domain share them). */
export const STATEMENT_ROW_TYPES = ['invoice', 'credit_note', 'receipt', 'invoice_void', 'credit_note_void', 'receipt_void', 'fx_difference', 'fx_difference_void'] as const
/** A vendor statement's. */
export const VENDOR_STATEMENT_ROW_TYPES = ['bill', 'vendor_credit', 'bill_payment', 'bill_void', 'vendor_credit_void', 'bill_payment_void', 'fx_difference', 'fx_difference_void'] as const
export type StatementRowType = typeof STATEMENT_ROW_TYPES[number] | typeof VENDOR_STATEMENT_ROW_TYPES[number]
