/**
 * The organisation settings' fields as zod schemas: the route contract (server/contracts/settings.ts)
 * builds its body from them and the settings page checks its form with them, so both refuse the
 * same input. Here rather than in the contract because the browser imports it (`#shared/settings/fields`).
 */
import { z } from 'zod'
import { canonicalTimeZone, DATE_FORMATS, NEGATIVE_STYLES, NUMBER_FORMATS } from '../format/settings'

/** An IANA time zone, stored in its canonical spelling (`europe/berlin` → `Europe/Berlin`). */
export const TimeZone = z.string().max(64).transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone)
  if (!canonical) ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin or UTC' })
  return canonical ?? zone
})

export const SETTINGS_FIELDS = {
  name: z.string().trim().min(1, 'is required').max(120),
  address: z.string().trim().max(500).nullable(),
  taxNumber: z.string().trim().max(50).nullable(),
  timeZone: TimeZone,
  dateFormat: z.enum(DATE_FORMATS),
  numberFormat: z.enum(NUMBER_FORMATS),
  negativeStyle: z.enum(NEGATIVE_STYLES),
  /** Sales: the prefix of invoice numbers (`INV-000001`), and the terms of a customer without its own. */
  invoicePrefix: z.string().trim().max(20).regex(/^[\p{L}\p{N} ./#_-]*$/u, 'may hold letters, digits, spaces and . / # _ -'),
  defaultPaymentTermsDays: z.number().int().min(0, 'must be 0 or more days').max(3650, 'must be at most 3650 days'),
  /** Dunning: the days after the due date a reminder is e-mailed (e.g. [7, 14, 30]); empty: no reminders. Stored ascending. */
  dunningDays: z.array(z.number().int().min(1, 'each must be 1 or more days').max(3650, 'each must be at most 3650 days')).max(10, 'at most 10 reminder days')
    .refine(days => new Set(days).size === days.length, 'must not repeat a day').transform(days => [...days].sort((a, b) => a - b)),
  /** Purchases: a bill above this total (base currency) waits for approval by a second person; "0" (the default): every bill. */
  billApprovalThreshold: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be an amount of 0 or more, such as 1000.00'),
  /** The control accounts: an active receivable asset / payable liability account without journal lines of its own. */
  arControlAccountId: z.uuid({ message: 'must be an account id' }),
  apControlAccountId: z.uuid({ message: 'must be an account id' }),
}
