/**
 * Every outbox kind, for the relay, the worker's job handlers and the back-office view. A new
 * kind (webhook deliveries next) is one `defineOutboxKind` in its module, named in names.ts and
 * listed here.
 */
import { importJobKind } from '../bank/import-job-runner'
import { platformMailKind } from '../mail/platform-outbox'
import { tenantMailKind } from '../mail/outbox'
import { exportKind } from '../reports/export-runner'
import type { OutboxKind } from './define'
import type { OutboxName } from './names'

const BY_NAME: Record<OutboxName, OutboxKind> = { 'mail': tenantMailKind, 'platform-mail': platformMailKind, 'exports': exportKind, 'bank-imports': importJobKind }

export const OUTBOX_KINDS: readonly OutboxKind[] = Object.values(BY_NAME)

/** The kind called `name`. */
export function outboxKind(name: OutboxName): OutboxKind {
  return BY_NAME[name]
}
