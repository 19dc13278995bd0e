/**
 * Sending an invoice PDF through the tenant mail outbox (server/domain/sales/document-mail.ts),
 * called directly as a route will call it, against the test database; the shared test server's
 * in-process worker delivers it to the test SMTP sink (tests/support/smtp.ts), where the
 * attachment is read back byte for byte. A rolled-back send leaves nothing; a repeated send with
 * one dedupe key is one mail; only the customer's own addresses are taken.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { withTenant } from '../../db/tenant'
import { closeQueues } from '../../server/core/queues'
import { DomainError } from '../../server/domain/errors'
import { MAIL_INLINE_ATTACHMENT_MAX_BYTES, presentMailBodies } from '../../server/domain/mail/delivery'
import { collectMail } from '../../server/domain/mail/outbox'
import { renderSalesDocumentMail } from '../../server/domain/mail/templates'
import { queueSalesDocumentMail, resolveRecipients } from '../../server/domain/sales/document-mail'
import { renderSalesDocumentPdf, salesDocumentFilename } from '../../server/domain/sales/document-pdf'
import { createTenant, type TestTenant } from '../support/api'
import { workedInvoice } from '../support/sales-documents'
import { waitForMail } from '../support/smtp'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
let t: TestTenant

beforeAll(async () => {
  for (const [key, value] of Object.entries(inject('serverEnv'))) if (value !== undefined) process.env[key] = value
  setDatabase(connect(inject('databaseUrl'), { max: 4 }))
  t = await createTenant()
})

afterAll(async () => {
  await closeQueues()
  await closeDatabase()
  await sql.end()
})

/** A customer of the tenant, made through the API, with a fresh address. */
async function newCustomer(email: string | null = `billing-${randomBytes(4).toString('hex')}@customer.test`) {
  const res = await t.asOwner.post('/api/v1/customers', { json: { name: 'Acme Trading GmbH', ...(email ? { email } : {}) } })
  expect(res.status, res.text).toBe(201)
  return res.body as { id: string, email: string | null }
}

const content = () => renderSalesDocumentMail({
  kind: 'invoice', organisationName: workedInvoice.organisation.name, customerName: workedInvoice.customer.name,
  number: workedInvoice.number, date: workedInvoice.date, dueDate: workedInvoice.dueDate, currency: workedInvoice.currency,
  total: workedInvoice.total, amountDue: workedInvoice.amountDue, format: workedInvoice.format, message: 'Here is this month\'s invoice.',
})

async function rowsTo(address: string) {
  return sql<{ id: string, kind: string, status: string, subject: string, attachments: { filename: string, contentType: string, contentBase64: string, size: number }[] }[]>`
    select id, kind, status, subject, attachments from mail_outbox where tenant_id = ${t.id} and ${address} = any("to") order by created_at`
}

/** What `fn` throws: `status code` for a domain error. */
function codeOf(fn: () => unknown): string | undefined {
  const err = errorOf(fn)
  return err instanceof DomainError ? `${err.status} ${err.code}` : err === undefined ? undefined : String(err)
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  }
  catch (err) {
    return err
  }
  return undefined
}

describe('queueSalesDocumentMail', () => {
  it('sends the invoice with its PDF attached, byte for byte, to the customer\'s address', async () => {
    const customer = await newCustomer()
    const pdf = await renderSalesDocumentPdf(workedInvoice)
    const to = resolveRecipients(customer.email)
    expect(to).toEqual([customer.email])
    const unit = { mail: collectMail() }
    const queued = await withTenant(t.id, tx => queueSalesDocumentMail(tx, unit, { tenantId: t.id, to, ...content(), filename: salesDocumentFilename(workedInvoice), pdf }))
    expect(queued.created).toBe(true)
    // The row is written in the transaction, with the PDF inline; the queue gets it after the commit.
    const [row] = await rowsTo(customer.email!)
    expect(row).toMatchObject({ id: queued.id, kind: 'sales_document', subject: 'Invoice INV-000042 from Northwind Studio Ltd' })
    expect(row!.attachments).toEqual([{ filename: 'invoice-INV-000042.pdf', contentType: 'application/pdf', contentBase64: pdf.toString('base64'), size: pdf.length }])
    await unit.mail.dispatch()

    const [mail] = await waitForMail(inject('mailDir'), customer.email!)
    expect(mail!.subject).toBe('Invoice INV-000042 from Northwind Studio Ltd')
    expect(mail!.text).toContain('Here is this month\'s invoice.')
    expect(mail!.text).toContain('USD 4,208.75 is due by 30 Dec 2026.')
    expect(mail!.html).toContain('Amount due')
    expect(mail!.attachments).toHaveLength(1)
    const attachment = mail!.attachments[0]!
    expect(attachment.filename).toBe('invoice-INV-000042.pdf')
    expect(attachment.contentType).toBe('application/pdf')
    expect(Buffer.compare(attachment.content, pdf)).toBe(0)
    await expect.poll(async () => (await rowsTo(customer.email!))[0]?.status, { timeout: 20_000 }).toBe('sent')

    // The back-office sees the attachment's name, type and size, never its bytes.
    expect(presentMailBodies({ text: '', html: '', attachments: row!.attachments })).toEqual({
      text: '', html: '', attachments: [{ filename: 'invoice-INV-000042.pdf', contentType: 'application/pdf', size: pdf.length }],
    })
  })

  it('leaves no mail when the transaction rolls back, and nothing for the queue', async () => {
    const customer = await newCustomer()
    const unit = { mail: collectMail() }
    let queuedId = ''
    await expect(withTenant(t.id, async (tx) => {
      queuedId = (await queueSalesDocumentMail(tx, unit, { tenantId: t.id, to: [customer.email!], ...content(), filename: 'x.pdf', pdf: Buffer.from('%PDF-1.3 x') })).id
      throw new Error('the send was refused later in the transaction')
    })).rejects.toThrow('refused later')
    expect(queuedId).not.toBe('')
    expect(await rowsTo(customer.email!)).toEqual([])
  })

  it('writes one mail per dedupe key, and hands it to the queue once', async () => {
    const customer = await newCustomer()
    const unit = { mail: collectMail() }
    const send = () => withTenant(t.id, tx => queueSalesDocumentMail(tx, unit, { tenantId: t.id, to: [customer.email!], ...content(), filename: 'x.pdf', pdf: Buffer.from('%PDF-1.3 x'), dedupeKey: `send:${customer.id}` }))
    const first = await send()
    const again = await send()
    expect(again).toEqual({ id: first.id, created: false })
    expect(await rowsTo(customer.email!)).toHaveLength(1)
  })

  it('refuses a PDF over the inline limit (422 DOCUMENT_TOO_LARGE) and writes nothing', async () => {
    const customer = await newCustomer()
    const pdf = Buffer.alloc(MAIL_INLINE_ATTACHMENT_MAX_BYTES + 1)
    const error = await withTenant(t.id, tx => queueSalesDocumentMail(tx, { mail: collectMail() }, { tenantId: t.id, to: [customer.email!], ...content(), filename: 'x.pdf', pdf })).catch(e => e as DomainError)
    expect(error).toMatchObject({ status: 422, code: 'DOCUMENT_TOO_LARGE' })
    expect(await rowsTo(customer.email!)).toEqual([])
  })
})

describe('resolveRecipients', () => {
  it('takes the customer\'s address, or a requested subset of its addresses, case-insensitively and once each', () => {
    expect(resolveRecipients('billing@acme.test')).toEqual(['billing@acme.test'])
    expect(resolveRecipients('billing@acme.test', ['Billing@ACME.test ', 'billing@acme.test'])).toEqual(['billing@acme.test'])
    expect(resolveRecipients('billing@acme.test; ap@acme.test', ['ap@acme.test'])).toEqual(['ap@acme.test'])
    expect(resolveRecipients('billing@acme.test, ap@acme.test')).toEqual(['billing@acme.test', 'ap@acme.test'])
  })

  it('refuses any other address (422 SEND_RECIPIENT_INVALID, by position) and an empty list', () => {
    expect(errorOf(() => resolveRecipients('billing@acme.test', ['billing@acme.test', 'attacker@evil.test']))).toMatchObject({
      status: 422, code: 'SEND_RECIPIENT_INVALID', fields: { 'to.1': 'is not an e-mail address of this customer' },
    })
    expect(codeOf(() => resolveRecipients('billing@acme.test', []))).toBe('422 SEND_RECIPIENT_INVALID')
    expect(codeOf(() => resolveRecipients('billing@acme.test', ['billing@acme.test.evil.test']))).toBe('422 SEND_RECIPIENT_INVALID')
  })

  it('refuses a customer without an address (422 CUSTOMER_EMAIL_MISSING)', async () => {
    const customer = await newCustomer(null)
    expect(customer.email).toBeNull()
    expect(codeOf(() => resolveRecipients(customer.email))).toBe('422 CUSTOMER_EMAIL_MISSING')
    expect(codeOf(() => resolveRecipients('  ', ['someone@else.test']))).toBe('422 CUSTOMER_EMAIL_MISSING')
  })
})
