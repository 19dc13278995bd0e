/**
 * The recurring-invoice job's work for one tenant (see ./recurring-invoices.ts for the guarantees):
 * make each due occurrence in a transaction of its own, then issue and send the pending runs, each
 * in its own. An entry point (eslint.config.mjs TRANSACTION_ENTRY_POINTS): the receivables job has
 * no route to open a transaction, and one occurrence's refusal must not undo another's invoice.
 */
import { and, asc, eq, lte } from 'drizzle-orm'
import { recurringInvoiceRuns, recurringInvoices } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { occurrenceFrom } from '../../../shared/schedules/recurrence'
import { errorText, log } from '../../core/log'
import { DomainError } from '../errors'
import { collectMail } from '../mail/outbox'
import { notifyUsers } from '../notifications/notify'
import { getSettings } from '../settings/settings'
import { todayIn } from './documents'
import { createInvoice, getInvoice, issueInvoice } from './invoices'
import { queueInvoiceMail } from './invoice-mail'
import { OCCURRENCES_PER_RUN, RECURRING_ACTOR, RECURRING_LINK, recurrenceOf } from './recurring-invoices'

export interface RecurringRunResult {
  /** Invoices made (drafts created) by this run. */
  created: number
  issued: number
  sent: number
  /** Occurrences that could not be made, issues refused, mails not sent. */
  failed: number
}

const message = (err: unknown) => (err instanceof DomainError ? `${err.code}: ${err.message}` : errorText(err)).slice(0, 1000)

/**
 * Makes the next due occurrence of one schedule, if any: `made` when this call wrote its run row
 * and invoice, `exists` when the run row was there already (only the next date moves on), `none`
 * when nothing is due.
 */
async function makeOccurrence(tenantId: string, scheduleId: string, today: string): Promise<'made' | 'exists' | 'none'> {
  return withTenant(tenantId, async (tx) => {
    const [s] = await tx.select().from(recurringInvoices).where(eq(recurringInvoices.id, scheduleId)).for('update')
    if (!s?.isActive || !s.nextDate || s.nextDate > today) return 'none'
    const occurrence = s.nextDate
    const [run] = await tx.insert(recurringInvoiceRuns).values({ tenantId, recurringInvoiceId: s.id, occurrenceDate: occurrence })
      .onConflictDoNothing().returning({ id: recurringInvoiceRuns.id })
    if (run) {
      const invoice = await createInvoice(tx, tenantId, RECURRING_ACTOR, { customerId: s.customerId, date: occurrence, ...s.template })
      await tx.update(recurringInvoiceRuns).set({ invoiceId: invoice.id, updatedAt: new Date() }).where(eq(recurringInvoiceRuns.id, run.id))
    }
    await tx.update(recurringInvoices).set({
      nextDate: occurrenceFrom(recurrenceOf(s), occurrence, true), lastGeneratedDate: occurrence, lastError: null, updatedAt: new Date(),
    }).where(eq(recurringInvoices.id, s.id))
    return run ? 'made' : 'exists'
  })
}

/** Issues (autoIssue) and sends (autoSend) a pending run's invoice; returns what it did. */
async function finishRun(tenantId: string, runId: string): Promise<{ issued: boolean, sent: boolean, failed: boolean }> {
  const mail = collectMail()
  let sendProblem: string | null = null
  try {
    const done = await withTenant(tenantId, async (tx) => {
      const [run] = await tx.select().from(recurringInvoiceRuns).where(eq(recurringInvoiceRuns.id, runId)).for('update')
      if (!run || run.status !== 'pending') return null
      const [s] = await tx.select().from(recurringInvoices).where(eq(recurringInvoices.id, run.recurringInvoiceId))
      let issued = false
      let mailId: string | null = null
      if (s && run.invoiceId) {
        let invoice = await getInvoice(tx, run.invoiceId)
        if (s.autoIssue && invoice.status === 'draft') {
          invoice = await issueInvoice(tx, tenantId, RECURRING_ACTOR, invoice.id)
          issued = true
        }
        if (s.autoSend && invoice.status !== 'draft' && invoice.status !== 'void') {
          try {
            mailId = (await queueInvoiceMail(tx, { mail }, tenantId, invoice, { dedupeKey: `recurring:${run.id}` })).id
          }
          catch (err) {
            // Refusals decided before anything is written (no address, too large): the invoice stays issued.
            if (!(err instanceof DomainError)) throw err
            sendProblem = message(err)
          }
        }
      }
      await tx.update(recurringInvoiceRuns).set({ status: 'done', mailId, error: sendProblem, updatedAt: new Date() }).where(eq(recurringInvoiceRuns.id, runId))
      if (s && sendProblem) await tx.update(recurringInvoices).set({ lastError: `Not sent: ${sendProblem}` }).where(eq(recurringInvoices.id, s.id))
      return { issued, sent: mailId !== null }
    })
    if (!done) return { issued: false, sent: false, failed: false }
    await mail.dispatch()
    if (sendProblem) log.warn('recurring invoice: not sent', { tenantId, runId, error: sendProblem })
    return { ...done, failed: sendProblem !== null }
  }
  catch (err) {
    const reason = message(err)
    log.warn('recurring invoice: issue refused, the draft stays', { tenantId, runId, error: reason })
    const schedule = await withTenant(tenantId, async (tx) => {
      const [run] = await tx.update(recurringInvoiceRuns).set({ status: 'issue_failed', error: reason, updatedAt: new Date() })
        .where(and(eq(recurringInvoiceRuns.id, runId), eq(recurringInvoiceRuns.status, 'pending'))).returning()
      if (!run) return null
      await tx.update(recurringInvoices).set({ lastError: `Not issued: ${reason}` }).where(eq(recurringInvoices.id, run.recurringInvoiceId))
      return run
    })
    if (schedule) {
      await notifyUsers(tenantId, 'admins', {
        type: 'recurring_invoice.issue_failed',
        title: `A recurring invoice dated ${schedule.occurrenceDate} was left as a draft`,
        body: `It could not be issued: ${reason}. Fix the cause, then issue the draft from the invoices list.`,
        link: RECURRING_LINK,
        dedupeKey: `recurring-issue-failed:${runId}`,
      }).catch((e: unknown) => log.warn('recurring invoice: notification failed', { tenantId, error: errorText(e) }))
    }
    return { issued: false, sent: false, failed: true }
  }
}

/**
 * One tenant's pass: makes every occurrence due up to today (the organisation's time zone; `today`
 * overrides it for tests), at most OCCURRENCES_PER_RUN per schedule, then issues and sends what is
 * pending. A schedule whose invoice cannot even be made (an inactive customer or item …) keeps its
 * next date, notes why, notifies the owners and admins once per occurrence, and is tried again
 * next run; the other schedules go on.
 */
export async function runRecurringInvoices(tenantId: string, options: { today?: string } = {}): Promise<RecurringRunResult> {
  const result: RecurringRunResult = { created: 0, issued: 0, sent: 0, failed: 0 }
  const { today, due } = await withTenant(tenantId, async (tx) => {
    const today = options.today ?? todayIn((await getSettings(tx)).timeZone)
    const rows = await tx.select({ id: recurringInvoices.id }).from(recurringInvoices)
      .where(and(eq(recurringInvoices.isActive, true), lte(recurringInvoices.nextDate, today))).orderBy(asc(recurringInvoices.nextDate))
    return { today, due: rows.map(r => r.id) }
  })
  for (const scheduleId of due) {
    for (let i = 0; i < OCCURRENCES_PER_RUN; i++) {
      try {
        const made = await makeOccurrence(tenantId, scheduleId, today)
        if (made === 'none') break
        if (made === 'made') result.created += 1
      }
      catch (err) {
        result.failed += 1
        const reason = message(err)
        log.warn('recurring invoice: occurrence not made', { tenantId, scheduleId, error: reason })
        const next = await withTenant(tenantId, async (tx) => {
          const [row] = await tx.update(recurringInvoices).set({ lastError: `Not made: ${reason}` }).where(eq(recurringInvoices.id, scheduleId)).returning({ nextDate: recurringInvoices.nextDate })
          return row?.nextDate
        }).catch(() => undefined)
        await notifyUsers(tenantId, 'admins', {
          type: 'recurring_invoice.failed', title: `A recurring invoice due ${next ?? ''} could not be made`.trim(), body: reason, link: RECURRING_LINK,
          dedupeKey: `recurring-failed:${scheduleId}:${next ?? ''}`,
        }).catch((e: unknown) => log.warn('recurring invoice: notification failed', { tenantId, error: errorText(e) }))
        break
      }
    }
  }
  const pending = await withTenant(tenantId, tx => tx.select({ id: recurringInvoiceRuns.id }).from(recurringInvoiceRuns)
    .where(eq(recurringInvoiceRuns.status, 'pending')).orderBy(asc(recurringInvoiceRuns.occurrenceDate), asc(recurringInvoiceRuns.id)))
  for (const { id } of pending) {
    const done = await finishRun(tenantId, id)
    if (done.issued) result.issued += 1
    if (done.sent) result.sent += 1
    if (done.failed) result.failed += 1
  }
  return result
}
