/**
 * Dunning reminders (SPEC §6 module 5): the organisation's reminder days after the due date
 * (settings `dunningDays`, e.g. [7, 14, 30]; empty = no reminders). The worker's receivables job
 * runs `runDunning` for each tenant that has any: every open invoice (issued or partially paid,
 * amount due > 0) whose due date + a step ≤ today (the organisation's time zone) and that has no
 * reminder for that step gets one mail — "Reminder: invoice INV-000042 is 14 days overdue", with
 * the amount due, the due date and the invoice PDF — to the customer's own address.
 *
 * - **Once per invoice and step**: `dunning_reminders` is UNIQUE (tenant, invoice, step); the row
 *   is written with the mail in one transaction, and the mail carries the dedupe key
 *   `dunning:<invoice>:<step>`, so two runs, even concurrent ones, send one mail.
 * - **Several steps due at once** (the job was down, the settings gained a day, an invoice was
 *   entered late): only the highest is sent; the lower ones are recorded `skipped`, never sent
 *   later. A step lower than one already reminded is recorded `skipped` too.
 * - **No address**: the step is recorded `not_sent` with the reason (logged), not tried again.
 * - Paid, void and draft invoices, and invoices without a due date, are never reminded.
 */
import { and, eq, gt, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import { dunningReminders, salesDocuments } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { errorText, log } from '../../core/log'
import { DomainError } from '../errors'
import { collectMail } from '../mail/outbox'
import { Dec } from '../money'
import { getSettings } from '../settings/settings'
import { getInvoice } from './invoices'
import { queueInvoiceMail } from './invoice-mail'
import { todayIn } from './documents'

/** Invoices looked at per run at most; the rest are reached by the next run. */
export const DUNNING_BATCH = 500

export interface DunningResult {
  sent: number
  skipped: number
  notSent: number
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** Reminds one invoice if a step is due and not yet recorded; what it recorded. */
async function remind(tenantId: string, invoiceId: string, steps: number[], today: string): Promise<DunningResult> {
  const mail = collectMail()
  const result = await withTenant(tenantId, async (tx) => {
    const out: DunningResult = { sent: 0, skipped: 0, notSent: 0 }
    // FOR SHARE: a void or an allocation in flight (FOR UPDATE on the row) is waited for and seen.
    const [row] = await tx.select().from(salesDocuments).where(eq(salesDocuments.id, invoiceId)).for('share')
    if (!row || row.kind !== 'invoice' || !['issued', 'partially_paid'].includes(row.status) || !row.dueDate) return out
    const invoice = await getInvoice(tx, invoiceId)
    if (!new Dec(invoice.amountDue).gt(0)) return out
    const overdue = daysBetween(row.dueDate, today)
    const due = steps.filter(s => s <= overdue)
    if (!due.length) return out
    const done = new Set((await tx.select({ step: dunningReminders.step }).from(dunningReminders).where(eq(dunningReminders.invoiceId, invoiceId))).map(r => r.step))
    const missing = due.filter(s => !done.has(s))
    if (!missing.length) return out
    const highest = Math.max(...due)
    if (missing.includes(highest)) {
      let mailId: string | null = null
      let problem: string | null = null
      try {
        mailId = (await queueInvoiceMail(tx, { mail }, tenantId, invoice, { dedupeKey: `dunning:${invoiceId}:${highest}`, reminderDaysOverdue: overdue })).id
      }
      catch (err) {
        if (!(err instanceof DomainError)) throw err
        problem = `${err.code}: ${err.message}`
      }
      const [claimed] = await tx.insert(dunningReminders).values({
        tenantId, invoiceId, step: highest, daysOverdue: overdue, status: mailId ? 'sent' : 'not_sent', mailId, error: problem,
      }).onConflictDoNothing().returning({ step: dunningReminders.step })
      if (claimed && mailId) out.sent += 1
      if (claimed && !mailId) {
        out.notSent += 1
        log.warn('dunning reminder not sent', { tenantId, invoiceId, step: highest, error: problem })
      }
    }
    const lower = missing.filter(s => s !== highest)
    if (lower.length) {
      const skipped = await tx.insert(dunningReminders).values(lower.map(step => ({ tenantId, invoiceId, step, daysOverdue: overdue, status: 'skipped' as const })))
        .onConflictDoNothing().returning({ step: dunningReminders.step })
      out.skipped += skipped.length
    }
    return out
  })
  await mail.dispatch()
  return result
}

/**
 * One tenant's pass (`today` overrides the organisation's today, for tests). An invoice whose
 * reminder fails (a rendering error, say) is logged and left for the next run; the others go on.
 */
export async function runDunning(tenantId: string, options: { today?: string } = {}): Promise<DunningResult> {
  const total: DunningResult = { sent: 0, skipped: 0, notSent: 0 }
  const { steps, today, invoices } = await withTenant(tenantId, async (tx) => {
    const settings = await getSettings(tx)
    const today = options.today ?? todayIn(settings.timeZone)
    const steps = [...settings.dunningDays].sort((a, b) => a - b)
    if (!steps.length) return { steps, today, invoices: [] as string[] }
    const rows = await tx.select({ id: salesDocuments.id }).from(salesDocuments).where(and(
      eq(salesDocuments.kind, 'invoice'),
      inArray(salesDocuments.status, ['issued', 'partially_paid']),
      gt(salesDocuments.total, salesDocuments.amountAllocated),
      isNotNull(salesDocuments.dueDate),
      lte(salesDocuments.dueDate, sql`${today}::date - ${steps[0]!}::int`),
      // A due step without its reminder row.
      sql`exists (select 1 from unnest(array[${sql.join(steps.map(n => sql`${n}::int`), sql`, `)}]) as u(s)
            where s <= ${today}::date - ${salesDocuments.dueDate}
              and not exists (select 1 from dunning_reminders r where r.tenant_id = ${salesDocuments.tenantId} and r.invoice_id = ${salesDocuments.id} and r.step = s))`,
    )).orderBy(salesDocuments.dueDate, salesDocuments.id).limit(DUNNING_BATCH)
    return { steps, today, invoices: rows.map(r => r.id) }
  })
  for (const invoiceId of invoices) {
    try {
      const r = await remind(tenantId, invoiceId, steps, today)
      total.sent += r.sent
      total.skipped += r.skipped
      total.notSent += r.notSent
    }
    catch (err) {
      log.warn('dunning reminder failed', { tenantId, invoiceId, error: errorText(err) })
    }
  }
  return total
}
