/**
 * The PDF of an invoice or credit note, and sending it by e-mail (SPEC §5 `GET …/{id}/pdf`,
 * `POST …/{id}/send {to?, message?}`): what joins the stored document (documents.ts) to the pure
 * renderer (document-pdf.ts) and the mail outbox (document-mail.ts).
 *
 * - `salesDocumentPdfInput` is the one place that turns a document, its customer, the
 *   organisation's settings and logo, and its taxes as issued into the renderer's input.
 * - `salesDocumentPdfFile` renders it with its file name (`invoice-INV-000042.pdf`; a draft, which
 *   has no number yet, `invoice-draft-<first 8 of its id>.pdf` and a DRAFT watermark).
 * - `sendSalesDocument` sends an issued (partially paid, paid) document to the customer's own
 *   addresses only: the recipients are checked before anything is written, the PDF and the mail
 *   are written to the outbox in the caller's transaction with an audit event, and the mail is
 *   handed to the queue after the commit (`unit.mail`).
 */
import { and, eq, inArray } from 'drizzle-orm'
import { customers, salesDocuments, taxRates } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError } from '../errors'
import { Dec } from '../money'
import type { MailCollector } from '../mail/outbox'
import { renderSalesDocumentMail } from '../mail/templates'
import { findLogo } from '../settings/logo'
import { getSettings } from '../settings/settings'
import { getDocument, KINDS, type DocumentKind, type SalesDocument } from './documents'
import { queueSalesDocumentMail, resolveRecipients } from './document-mail'
import { renderSalesDocumentPdf, salesDocumentFilename, type SalesDocumentPdf } from './document-pdf'

/** The statuses a document is sent in: issued and later, never a draft or a void one. */
const SENDABLE: ReadonlySet<SalesDocument['status']> = new Set(['issued', 'partially_paid', 'paid'])

type Customer = Pick<typeof customers.$inferSelect, 'name' | 'email' | 'billingAddress' | 'taxNumber'>

async function customerOf(tx: Tx, id: string): Promise<Customer> {
  const [row] = await tx.select({ name: customers.name, email: customers.email, billingAddress: customers.billingAddress, taxNumber: customers.taxNumber })
    .from(customers).where(eq(customers.id, id))
  if (!row) throw new Error(`sales document's customer ${id} is not visible`)
  return row
}

/**
 * What the tax of a line and of the summary is called. A simple rate: its name as the document
 * stored it (the component's name, kept as issued). A group: the group's name (its current one:
 * the document keeps the components, not the group's name), and in the summary one row per
 * component — "GST + PST: GST" at 5%, "GST + PST: PST" at 7% — so each tax is shown at its rate.
 */
async function taxLabels(tx: Tx, doc: SalesDocument) {
  const groupIds = doc.taxBreakdown.filter(b => b.components.length > 1).map(b => b.taxRateId)
  const groups = groupIds.length ? await tx.select({ id: taxRates.id, name: taxRates.name }).from(taxRates).where(inArray(taxRates.id, groupIds)) : []
  const groupName = new Map(groups.map(g => [g.id, g.name]))
  const lineLabel = (line: SalesDocument['lines'][number]): string | null => {
    if (!line.taxes.length) return null
    return line.taxes.length === 1 ? line.taxes[0]!.name : groupName.get(line.taxRateId ?? '') ?? line.taxes.map(t => t.name).join(' + ')
  }
  const breakdown: SalesDocumentPdf['taxBreakdown'] = doc.taxBreakdown.flatMap(b => b.components.length === 1
    ? [{ label: b.components[0]!.name, rate: b.rate, net: b.net, tax: b.tax }]
    : b.components.map(c => ({ label: `${groupName.get(b.taxRateId) ?? 'Tax group'}: ${c.name}`, rate: c.rate, net: c.net, tax: c.tax })))
  return { lineLabel, breakdown }
}

/**
 * The renderer's input for a document as stored: its figures (strings fixed to the currency's
 * minor unit), the customer as it is now, the organisation's name, address, tax number, formats
 * and logo; payment instructions from `paymentInstructions`. The document's memo prints as its
 * notes.
 */
export async function salesDocumentPdfInput(tx: Tx, doc: SalesDocument): Promise<SalesDocumentPdf> {
  const [settings, logo, customer, labels] = [await getSettings(tx), await findLogo(tx), await customerOf(tx, doc.customerId), await taxLabels(tx, doc)]
  return {
    kind: doc.kind,
    organisation: { name: settings.name, address: settings.address, taxNumber: settings.taxNumber, logo: logo ? { bytes: logo.bytes, contentType: logo.mediaType } : null },
    customer: { name: customer.name, email: customer.email, billingAddress: customer.billingAddress, taxNumber: customer.taxNumber },
    number: doc.number ?? 'Draft',
    status: doc.status,
    date: doc.date,
    dueDate: doc.kind === 'invoice' ? doc.dueDate : null,
    reference: doc.reference,
    currency: doc.currency,
    amountsAre: doc.amountsAre,
    lines: doc.lines.map(l => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent, taxLabel: labels.lineLabel(l), amount: l.amount })),
    taxBreakdown: labels.breakdown,
    subtotal: doc.subtotal,
    taxTotal: doc.taxTotal,
    total: doc.total,
    amountPaid: doc.amountPaid,
    amountDue: doc.amountDue,
    paymentInstructions: paymentInstructions(doc),
    format: { dateFormat: settings.dateFormat, numberFormat: settings.numberFormat, negativeStyle: settings.negativeStyle },
    notes: doc.memo,
  }
}

/**
 * What the PAYMENT paragraph says. The settings have no payment instructions (a field would need a
 * migration), so for an invoice with something due: `null`, and the PDF prints its default
 * sentence (pay the amount due by the due date, quoting the number). A void or settled invoice is
 * not asked to be paid "0.00".
 */
function paymentInstructions(doc: SalesDocument): string | null {
  if (doc.kind !== 'invoice') return null
  if (doc.status === 'void') return `Invoice ${doc.number} is void: nothing is due.`
  if (new Dec(doc.amountDue).isZero()) return 'Paid in full: nothing is due. Thank you.'
  return null
}

/** The file name: `invoice-INV-000042.pdf`, `credit-note-CN-000003.pdf`; a draft `invoice-draft-1a2b3c4d.pdf`. */
export function salesDocumentFileName(doc: Pick<SalesDocument, 'kind' | 'number' | 'id'>): string {
  return doc.number ? salesDocumentFilename({ kind: doc.kind, number: doc.number }) : salesDocumentFilename({ kind: doc.kind, number: `draft-${doc.id.slice(0, 8)}` })
}

/** The document's PDF and its file name (404 for an unknown id, another tenant's included). */
export async function salesDocumentPdfFile(tx: Tx, kind: DocumentKind, id: string): Promise<{ filename: string, bytes: Buffer }> {
  const doc = await getDocument(tx, kind, id)
  return { filename: salesDocumentFileName(doc), bytes: await renderSalesDocumentPdf(await salesDocumentPdfInput(tx, doc)) }
}

export interface SendInput {
  /** A subset of the customer's own addresses; left out, all of them. */
  to?: string[]
  /** The sender's own words, printed in the mail above the summary. */
  message?: string
}

/**
 * Sends the document to its customer (see the module comment): 404 unknown, 409
 * SALES_DOCUMENT_NOT_ISSUED for a draft or a void one, 422 CUSTOMER_EMAIL_MISSING /
 * SEND_RECIPIENT_INVALID / DOCUMENT_TOO_LARGE — each before anything is written. The document's
 * row is held `FOR SHARE` so a void running at the same time waits (and one that committed first
 * is seen). Audit `invoice.send` / `credit_note.send` with the recipients and the outbox row.
 */
export async function sendSalesDocument(tx: Tx, tenantId: string, actor: Actor, unit: { mail: MailCollector }, kind: DocumentKind, id: string, input: SendInput): Promise<SalesDocument> {
  const [row] = await tx.select({ status: salesDocuments.status, number: salesDocuments.number }).from(salesDocuments)
    .where(and(eq(salesDocuments.id, id), eq(salesDocuments.kind, kind))).for('share')
  if (!row) throw new NotFoundError(KINDS[kind].label)
  if (!SENDABLE.has(row.status)) {
    throw new ConflictError(row.status === 'draft'
      ? `A draft ${KINDS[kind].label.toLowerCase()} is not sent: issue it first`
      : `${KINDS[kind].label} ${row.number} is void and is not sent`, 'SALES_DOCUMENT_NOT_ISSUED')
  }
  const doc = await getDocument(tx, kind, id)
  const pdfInput = await salesDocumentPdfInput(tx, doc)
  const to = resolveRecipients(pdfInput.customer.email, input.to)
  const pdf = await renderSalesDocumentPdf(pdfInput)
  const content = renderSalesDocumentMail({
    kind, organisationName: pdfInput.organisation.name, customerName: pdfInput.customer.name, number: doc.number!, date: doc.date,
    dueDate: pdfInput.dueDate, currency: doc.currency, total: doc.total, amountDue: doc.amountDue, format: pdfInput.format,
    ...(input.message ? { message: input.message } : {}),
  })
  const filename = salesDocumentFileName(doc)
  const mail = await queueSalesDocumentMail(tx, unit, { tenantId, to, subject: content.subject, text: content.text, html: content.html, filename, pdf })
  await recordAudit(tx, tenantId, actor, { action: `${KINDS[kind].entity}.send`, entityType: KINDS[kind].entity, entityId: id, after: { to, mailId: mail.id, filename, size: pdf.length } })
  return doc
}
