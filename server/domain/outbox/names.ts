/** The outbox kinds by name (kinds.ts defines them): pure, for the back-office contract. */
export const OUTBOX_NAMES = ['mail', 'platform-mail', 'exports', 'bank-imports'] as const
export type OutboxName = typeof OUTBOX_NAMES[number]
