/**
 * An invoice as its PDF and its mail, from the stored document (./documents.ts) and the
 * organisation's settings: what the receivables jobs (recurring invoices with autoSend, dunning
 * reminders) send. `invoicePdfInput` reads what `renderSalesDocumentPdf` draws; `queueInvoiceMail`
 * resolves the customer's address, renders the PDF and the mail, and writes both into the tenant's
 * outbox in the caller's transaction (./document-mail.ts), dispatched after the commit.
 */
import { eq } from 'drizzle-orm'
import { customers } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { formatDate, formatMoney } from '../../../shared/format'
import { escapeHtml, renderSalesDocumentMail, type RenderedMail } from '../mail/templates'
import type { MailCollector } from '../mail/outbox'
import { queueSalesDocumentMail, resolveRecipients } from './document-mail'
import { salesDocumentPdfInput } from './document-send'
import { renderSalesDocumentPdf, salesDocumentFilename, type SalesDocumentPdf } from './document-pdf'
import type { SalesDocument } from './documents'

/**
 * What the PDF of a stored invoice shows: the send route's own builder (./document-send.ts), so
 * the jobs' PDFs are the same as a sent or downloaded one's.
 */
export const invoicePdfInput = (tx: Tx, doc: SalesDocument): Promise<SalesDocumentPdf> => salesDocumentPdfInput(tx, doc)

/**
 * The dunning reminder: "Reminder: invoice INV-000042 is 14 days overdue", the amount due and the
 * due date in the organisation's formats; the invoice mail's layout and closing otherwise.
 */
export function renderReminderMail(pdf: SalesDocumentPdf, daysOverdue: number): RenderedMail {
  const base = renderSalesDocumentMail({
    kind: 'invoice', organisationName: pdf.organisation.name, customerName: pdf.customer.name, number: pdf.number, date: pdf.date,
    dueDate: pdf.dueDate, currency: pdf.currency, total: pdf.total, amountDue: pdf.amountDue, format: pdf.format,
    message: `This is a reminder that invoice ${pdf.number} was due on ${formatDate(pdf.dueDate ?? pdf.date, pdf.format.dateFormat) || pdf.dueDate} and is now ${daysOverdue} ${daysOverdue === 1 ? 'day' : 'days'} overdue. `
      + `${formatMoney(pdf.amountDue, { currency: pdf.currency, numberFormat: pdf.format.numberFormat, negativeStyle: pdf.format.negativeStyle })} is still due. `
      + 'If you have already paid it, please disregard this reminder.',
  })
  const subject = `Reminder: invoice ${pdf.number} is ${daysOverdue} ${daysOverdue === 1 ? 'day' : 'days'} overdue`
  return { subject, text: base.text, html: base.html.replace(`<title>${escapeHtml(base.subject)}</title>`, `<title>${escapeHtml(subject)}</title>`) }
}

/**
 * Queues the invoice's mail with its PDF to the customer's own address(es), in `tx`. Throws 422
 * CUSTOMER_EMAIL_MISSING (no address) or DOCUMENT_TOO_LARGE before anything is written.
 */
export async function queueInvoiceMail(tx: Tx, unit: { mail: MailCollector }, tenantId: string, doc: SalesDocument,
  options: { dedupeKey: string, reminderDaysOverdue?: number }): Promise<{ id: string, created: boolean, to: string[] }> {
  const [customer] = await tx.select({ email: customers.email }).from(customers).where(eq(customers.id, doc.customerId))
  const to = resolveRecipients(customer?.email ?? null)
  const input = await invoicePdfInput(tx, doc)
  const pdf = await renderSalesDocumentPdf(input)
  const content = options.reminderDaysOverdue === undefined
    ? renderSalesDocumentMail({
        kind: doc.kind, organisationName: input.organisation.name, customerName: input.customer.name, number: input.number, date: doc.date,
        dueDate: doc.dueDate, currency: doc.currency, total: doc.total, amountDue: doc.amountDue, format: input.format,
      })
    : renderReminderMail(input, options.reminderDaysOverdue)
  const queued = await queueSalesDocumentMail(tx, unit, { tenantId, to, ...content, filename: salesDocumentFilename(input), pdf, dedupeKey: options.dedupeKey })
  return { ...queued, to }
}
