/**
 * The event types of SPEC §5 (webhooks and the feed), a closed list: `events_type_check`
 * (migration 0017) names the same, and tests/db/events-feed.test.ts compares the two. No framework
 * imports: the contracts (which pages bundle) import this.
 */
export const EVENT_TYPES = [
  'journal_entry.posted', 'journal_entry.reversed',
  'invoice.issued', 'invoice.paid', 'invoice.voided',
  'credit_note.issued', 'receipt.created',
  'bill.submitted', 'bill.approved', 'bill.paid', 'bill.voided', 'bill_payment.created',
  'bank_transaction.imported', 'bank_reconciliation.completed',
  'period.closed', 'period.reopened',
  'customer.created', 'vendor.created',
] as const
export type EventType = typeof EVENT_TYPES[number]
