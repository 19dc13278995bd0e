/**
 * Sending an invoice or credit note by e-mail: the PDF (./document-pdf.ts) travels through the
 * tenant mail outbox (server/domain/mail) as an inline attachment of the outbox row, written in
 * the caller's transaction, so a refused or rolled-back send leaves no mail and a committed one
 * always goes out, with exactly the bytes rendered when it was sent.
 *
 * A route wires it in a few lines, inside `write((tx, unit) => …)`:
 *
 *   const to = resolveRecipients(customer.email, body.to)
 *   const pdf = await renderSalesDocumentPdf(doc)
 *   const content = renderSalesDocumentMail({ …, message: body.message })
 *   await queueSalesDocumentMail(tx, unit, { tenantId, to, ...content, filename: salesDocumentFilename(doc), pdf })
 *
 * `unit.mail` hands the mail to the queue once the transaction has committed.
 */
import type { Tx } from '../../../db/tenant'
import { escapeHtml } from '../mail/templates'
import { MAIL_INLINE_ATTACHMENT_MAX_BYTES } from '../mail/delivery'
import { queueMail, type MailCollector } from '../mail/outbox'
import { RuleError } from '../errors'

/** What one sales-document mail is: its recipients, words and PDF. */
export interface SalesDocumentMail {
  tenantId: string
  /** From `resolveRecipients`: the customer's own addresses only. */
  to: string[]
  subject: string
  text: string
  /** The HTML part; the text's paragraphs, escaped, when left out. */
  html?: string
  /** e.g. `invoice-INV-000042.pdf` (salesDocumentFilename). */
  filename: string
  pdf: Buffer
  /** One mail per cause (e.g. an idempotent "send" of one issue): a repeat returns the first mail. */
  dedupeKey?: string
}

const ADDRESS = /^[^\s@,;<>]+@[^\s@,;<>]+$/

/** The customer's addresses: its e-mail field, lower-cased, split on commas or semicolons should it hold several. */
function customerAddresses(customerEmail: string | null): string[] {
  return [...new Set((customerEmail ?? '').split(/[,;]/).map(a => a.trim().toLowerCase()).filter(Boolean))]
}

/**
 * Whom a document may be sent to: only the customer's own addresses. Without `requested`, all of
 * them; with it, each requested address (compared case-insensitively, duplicates dropped) must be
 * one of them. 422 `CUSTOMER_EMAIL_MISSING` when the customer has no address;
 * 422 `SEND_RECIPIENT_INVALID` (fields `to.<i>`) for any other address or an empty list — a
 * document is never mailed to an address typed at send time.
 */
export function resolveRecipients(customerEmail: string | null, requested?: string[]): string[] {
  const own = customerAddresses(customerEmail).filter(a => ADDRESS.test(a))
  if (!own.length) throw new RuleError('The customer has no e-mail address; add one to the customer first', 'CUSTOMER_EMAIL_MISSING', { to: 'the customer has no e-mail address' })
  if (requested === undefined) return own
  if (!requested.length) throw new RuleError('Name at least one of the customer\'s e-mail addresses', 'SEND_RECIPIENT_INVALID', { to: 'must name at least one of the customer\'s addresses' })
  const fields: Record<string, string> = {}
  const chosen: string[] = []
  requested.forEach((address, i) => {
    const normal = address.trim().toLowerCase()
    if (!own.includes(normal)) fields[`to.${i}`] = 'is not an e-mail address of this customer'
    else if (!chosen.includes(normal)) chosen.push(normal)
  })
  if (Object.keys(fields).length) throw new RuleError('A document can be sent only to the customer\'s own e-mail addresses', 'SEND_RECIPIENT_INVALID', fields)
  return chosen
}

/**
 * Writes the mail with its PDF into the tenant's outbox in the caller's transaction (`tx`), and
 * registers it with the unit so it is dispatched after the commit. 422 `DOCUMENT_TOO_LARGE` for a
 * PDF over MAIL_INLINE_ATTACHMENT_MAX_BYTES (an outbox row stays small; relays refuse big mail).
 */
export async function queueSalesDocumentMail(tx: Tx, unit: { mail: MailCollector }, mail: SalesDocumentMail): Promise<{ id: string, created: boolean }> {
  if (!mail.to.length) throw new Error('queueSalesDocumentMail: no recipients (resolveRecipients first)')
  if (mail.pdf.length > MAIL_INLINE_ATTACHMENT_MAX_BYTES) {
    throw new RuleError(`The document's PDF is ${Math.ceil(mail.pdf.length / 1024)} KB, more than the ${MAIL_INLINE_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB a mail may carry`, 'DOCUMENT_TOO_LARGE')
  }
  const html = mail.html ?? mail.text.split(/\n\s*\n/).map(p => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('\n')
  const queued = await queueMail(tx, mail.tenantId, {
    kind: 'sales_document',
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html,
    attachments: [{ filename: mail.filename, contentType: 'application/pdf', contentBase64: mail.pdf.toString('base64'), size: mail.pdf.length }],
    ...(mail.dedupeKey ? { dedupeKey: mail.dedupeKey } : {}),
  })
  if (queued.created) unit.mail.add(mail.tenantId, queued.id)
  return queued
}
