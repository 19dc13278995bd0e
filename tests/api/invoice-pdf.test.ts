/**
 * The invoice and credit-note PDF and sending them by e-mail through the real server (SPEC §5
 * `GET …/{id}/pdf`, `POST …/{id}/send {to?}`): the file and its headers, what pdftotext reads in
 * it (figures worked by hand below), the draft's watermark, another tenant's ids, and the send —
 * the outbox row, the audit event, the delivered mail with its attachment, the recipient rules,
 * the refusals that write nothing, and Idempotency-Key.
 *
 * The worked invoice (exclusive of tax, USD, default formats "1,234.56" and "D MMM YYYY"):
 *   1. Consulting, per hour   3 × 19.99 less 10% = 53.973 → 53.97   VAT 20%: 10.794 → 10.79
 *   2. Design workshop        10 × 150.00        = 1,500.00          VAT 20%: 300.00
 *   3. Printed brochures      100 × 1.25         = 125.00            GST 5% 6.25 + PST 7% 8.75 = 15.00
 *   subtotal 53.97 + 1,500.00 + 125.00 = 1,678.97; tax 10.79 + 300.00 + 15.00 = 325.79;
 *   total 2,004.76; nothing paid, so 2,004.76 due by 16 Mar 2026 (the customer's 14 days).
 *   Tax per rate: VAT 20% on 1,553.97 = 310.79; GST 5% on 125.00 = 6.25; PST 7% on 125.00 = 8.75.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'
import { waitForMail } from '../support/smtp'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
let acc: Record<string, string>
let vat: string
let group: string
let customer: string
let walkIn: string
let invoice: Json
const email = `ap-${randomBytes(4).toString('hex')}@northwind.test`
const ORG = 'Harbour & Sons Ltd'

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
const pdfText = (bytes: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes }).toString('utf8')
/** The text in content order: the rotated watermark comes out as one word (the layout mode scatters its letters). */
const rawText = (bytes: Buffer) => execFileSync('pdftotext', ['-raw', '-', '-'], { input: bytes }).toString('utf8')
const worked = (over: Json = {}) => ({
  customerId: customer, date: '2026-03-02', amountsAre: 'exclusive', reference: 'PO-7731',
  lines: [
    { description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', accountId: acc['4000'], taxRateId: vat },
    { description: 'Design workshop', quantity: '10', unitPrice: '150', accountId: acc['4000'], taxRateId: vat },
    { description: 'Printed brochures', quantity: '100', unitPrice: '1.25', accountId: acc['4000'], taxRateId: group },
  ],
  ...over,
})
async function make(c: Client, path: string, json: Json): Promise<Json> {
  const res = await c.post(path, { json })
  status(res, 201)
  return res.body
}
async function outbox(tenantId: string) {
  return sql<{ id: string, kind: string, to: string[], subject: string, text: string, status: string, attachments: { filename: string, contentType: string, contentBase64: string, size: number }[] }[]>`
    select id, kind, "to", subject, text, status, attachments from mail_outbox where tenant_id = ${tenantId} and kind = 'sales_document' order by created_at`
}
const sends = (tenantId: string) => sql`select action, entity_id, after from audit_events where tenant_id = ${tenantId} and action like '%.send' order by seq`

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', name: ORG }), createTenant({ chartOfAccounts: 'standard' })])
  acc = Object.fromEntries(((await t.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id]))
  const pst = await t.asOwner.post('/api/v1/accounts', { json: { code: '2110', name: 'PST payable', type: 'liability', subtype: 'tax_payable' } })
  status(pst, 201)
  status(await t.asOwner.patch('/api/v1/settings', { json: { address: '1 Harbour Road\nBristol BS1 4XX', taxNumber: 'GB 123 4567 89' } }), 200)
  vat = (await make(t.asOwner, '/api/v1/tax-rates', { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'sales' })).id
  group = (await make(t.asOwner, '/api/v1/tax-rates', { code: 'GP12', name: 'GST + PST', scope: 'sales', components: [{ name: 'GST', rate: '5', accountId: acc['2100'] }, { name: 'PST', rate: '7', accountId: pst.body.id }] })).id
  customer = (await make(t.asOwner, '/api/v1/customers', { name: 'Northwind Traders', email, paymentTermsDays: 14, billingAddress: '7 Dock Street\nLeeds LS1 2AB', taxNumber: 'NW-998877' })).id
  walkIn = (await make(t.asOwner, '/api/v1/customers', { name: 'Walk-in Customer' })).id
  invoice = await make(t.asOwner, '/api/v1/invoices', { ...worked(), issue: true })
})

describe('GET /api/v1/invoices/{id}/pdf', () => {
  it('answers the issued invoice as a PDF attachment named by its number, with the figures worked by hand', async () => {
    expect(invoice).toMatchObject({ number: 'INV-000001', status: 'issued', subtotal: '1678.97', taxTotal: '325.79', total: '2004.76', amountDue: '2004.76', dueDate: '2026-03-16' })
    const res = await t.asOwner.get(`/api/v1/invoices/${invoice.id}/pdf`)
    status(res, 200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="invoice-INV-000001.pdf"')
    expect(Number(res.headers.get('content-length'))).toBe(res.bytes.length)
    expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = pdfText(res.bytes)
    // the organisation, the title and particulars, the customer
    for (const s of [ORG, '1 Harbour Road', 'Bristol BS1 4XX', 'Tax number: GB 123 4567 89', 'INVOICE', 'INV-000001', '2 Mar 2026', '16 Mar 2026', 'PO-7731',
      'Northwind Traders', '7 Dock Street', 'Leeds LS1 2AB', email, 'Tax number: NW-998877']) expect(text, s).toContain(s)
    // the lines: description, quantity, unit price, discount, tax, amount
    expect(text).toMatch(/Consulting, per hour\s+3\s+19\.99\s+10%\s+VAT 20%\s+53\.97/)
    expect(text).toMatch(/Design workshop\s+10\s+150\.00\s+VAT 20%\s+1,500\.00/)
    expect(text).toMatch(/Printed brochures\s+100\s+1\.25\s+GST \+ PST\s+125\.00/)
    // tax per rate (a group: one row per component, at its own rate)
    expect(text).toMatch(/VAT 20%\s+20%\s+1,553\.97\s+310\.79/)
    expect(text).toMatch(/GST \+ PST: GST\s+5%\s+125\.00\s+6\.25/)
    expect(text).toMatch(/GST \+ PST: PST\s+7%\s+125\.00\s+8\.75/)
    // totals and what is due
    expect(text).toMatch(/Subtotal\s+1,678\.97/)
    expect(text).toMatch(/Tax\s+325\.79/)
    expect(text).toMatch(/Total USD\s+2,004\.76/)
    expect(text).toMatch(/Amount paid\s+0\.00/)
    expect(text).toMatch(/Amount due USD\s+2,004\.76/)
    // the default payment sentence (the settings have no payment instructions)
    expect(text.replace(/\s+/g, ' ')).toContain('Please pay USD 2,004.76 by 16 Mar 2026, quoting INV-000001 as the reference.')
    expect(rawText(res.bytes)).not.toMatch(/^(DRAFT|VOID)$/m)
  })

  it('a draft: a DRAFT-watermarked PDF with a draft file name; an ar:read member may download it', async () => {
    const draft = await make(t.asOwner, '/api/v1/invoices', worked({ memo: 'Thank you for choosing us.' }))
    const viewer = await addMember(t, ['viewer'])
    const res = await viewer.client.get(`/api/v1/invoices/${draft.id}/pdf`)
    status(res, 200)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="invoice-draft-${draft.id.slice(0, 8)}.pdf"`)
    expect(rawText(res.bytes)).toMatch(/^DRAFT$/m)
    const text = pdfText(res.bytes)
    expect(text).toMatch(/Status\s+Draft/)
    expect(text).toContain('Thank you for choosing us.')
    expect(text).toMatch(/Total USD\s+2,004\.76/)
    // …but may not send anything (ar:write)
    status(await viewer.client.post(`/api/v1/invoices/${invoice.id}/send`, { json: {} }), 403)
  })

  it('another tenant\'s invoice, an unknown id and a credit note\'s id under /invoices are 404; a malformed id is 400', async () => {
    for (const path of [`/api/v1/invoices/${invoice.id}/pdf`, `/api/v1/credit-notes/${invoice.id}/pdf`]) {
      const res = await other.asOwner.get(path)
      status(res, 404)
      expect(res.body.data.code).toBe('NOT_FOUND')
    }
    status(await t.asOwner.get(`/api/v1/invoices/${randomUUID()}/pdf`), 404)
    status(await t.asOwner.get(`/api/v1/credit-notes/${invoice.id}/pdf`), 404)
    status(await t.asOwner.get('/api/v1/invoices/not-a-uuid/pdf'), 400)
  })
})

describe('POST /api/v1/invoices/{id}/send', () => {
  it('queues the mail with the PDF to the customer\'s address in the same write, audits it, answers the invoice; the mail is delivered with the PDF attached', async () => {
    const before = (await outbox(t.id)).length
    const res = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { message: 'Thank you for the March work.' } })
    status(res, 200)
    expect(res.body).toMatchObject({ id: invoice.id, number: 'INV-000001', status: 'issued', total: '2004.76' })
    const rows = await outbox(t.id)
    expect(rows).toHaveLength(before + 1)
    const row = rows.at(-1)!
    expect(row).toMatchObject({ kind: 'sales_document', to: [email], subject: `Invoice INV-000001 from ${ORG}` })
    expect(row.text).toContain('Thank you for the March work.')
    expect(row.attachments).toHaveLength(1)
    const attachment = row.attachments[0]!
    expect(attachment).toMatchObject({ filename: 'invoice-INV-000001.pdf', contentType: 'application/pdf' })
    const pdf = Buffer.from(attachment.contentBase64, 'base64')
    expect(attachment.size).toBe(pdf.length)
    const text = pdfText(pdf)
    expect(text).toContain('INV-000001')
    expect(text).toMatch(/Amount due USD\s+2,004\.76/)
    const audit = await sends(t.id)
    expect(audit.at(-1)).toMatchObject({ action: 'invoice.send', entity_id: invoice.id, after: { to: [email], mailId: row.id, filename: 'invoice-INV-000001.pdf', size: pdf.length } })

    // delivered to the test SMTP server: the same bytes as the outbox row
    const [mail] = await waitForMail(inject('mailDir'), email)
    expect(mail!.subject).toBe(`Invoice INV-000001 from ${ORG}`)
    expect(mail!.text).toContain('Thank you for the March work.')
    expect(mail!.attachments.map(a => [a.filename, a.contentType])).toEqual([['invoice-INV-000001.pdf', 'application/pdf']])
    expect(Buffer.compare(mail!.attachments[0]!.content, pdf)).toBe(0)
    await expect.poll(async () => (await outbox(t.id)).find(r => r.id === row.id)?.status).toBe('sent')
  })

  it('to: a subset of the customer\'s addresses, compared case-insensitively', async () => {
    const before = (await outbox(t.id)).length
    status(await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { to: [email.toUpperCase()] } }), 200)
    const rows = await outbox(t.id)
    expect(rows).toHaveLength(before + 1)
    expect(rows.at(-1)!.to).toEqual([email])
  })

  it('another address is 422 SEND_RECIPIENT_INVALID (fields to.N) and nothing is queued or audited; a malformed one is 400', async () => {
    const [mails, audits] = [(await outbox(t.id)).length, (await sends(t.id)).length]
    const res = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { to: [email, 'attacker@elsewhere.test'] } })
    status(res, 422)
    expect(res.body.data.code).toBe('SEND_RECIPIENT_INVALID')
    expect(res.body.data.fields).toHaveProperty('to.1')
    const empty = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { to: [] } })
    status(empty, 422)
    expect(empty.body.data.code).toBe('SEND_RECIPIENT_INVALID')
    const malformed = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { to: ['not an address'] } })
    status(malformed, 400)
    expect(malformed.body.data.fields).toHaveProperty('to.0')
    status(await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { cc: [email] } }), 400)
    expect(await outbox(t.id)).toHaveLength(mails)
    expect(await sends(t.id)).toHaveLength(audits)
  })

  it('a customer without an e-mail address is 422 CUSTOMER_EMAIL_MISSING; nothing queued', async () => {
    const inv = await make(t.asOwner, '/api/v1/invoices', { ...worked({ customerId: walkIn }), issue: true })
    const mails = (await outbox(t.id)).length
    const res = await t.asOwner.post(`/api/v1/invoices/${inv.id}/send`, { json: {} })
    status(res, 422)
    expect(res.body.data.code).toBe('CUSTOMER_EMAIL_MISSING')
    expect(await outbox(t.id)).toHaveLength(mails)
  })

  it('a draft or a void invoice is not sent (409 SALES_DOCUMENT_NOT_ISSUED); another tenant\'s id is 404; nothing queued', async () => {
    const mails = (await outbox(t.id)).length
    const draft = await make(t.asOwner, '/api/v1/invoices', worked())
    const voided = await make(t.asOwner, '/api/v1/invoices', { ...worked(), issue: true })
    status(await t.asOwner.post(`/api/v1/invoices/${voided.id}/void`, { json: {} }), 200)
    for (const id of [draft.id, voided.id]) {
      const res = await t.asOwner.post(`/api/v1/invoices/${id}/send`, { json: {} })
      status(res, 409)
      expect(res.body.data.code).toBe('SALES_DOCUMENT_NOT_ISSUED')
    }
    const foreign = await other.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: {} })
    status(foreign, 404)
    // a void invoice's PDF still downloads, watermarked VOID
    const pdf = await t.asOwner.get(`/api/v1/invoices/${voided.id}/pdf`)
    status(pdf, 200)
    expect(rawText(pdf.bytes)).toMatch(/^VOID$/m)
    // …and is not asked to be paid: nothing is due
    const voidText = pdfText(pdf.bytes)
    expect(voidText).toMatch(/Amount due USD\s+0\.00/)
    expect(voidText).toContain(`Invoice ${voided.number} is void: nothing is due.`)
    expect(voidText).not.toContain('Please pay')
    expect(await outbox(t.id)).toHaveLength(mails)
  })

  it('Idempotency-Key: the repeat answers the first response and queues no second mail', async () => {
    const mails = (await outbox(t.id)).length
    const key = randomUUID()
    const first = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { message: 'Once only' }, headers: { 'Idempotency-Key': key } })
    status(first, 200)
    const again = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { message: 'Once only' }, headers: { 'Idempotency-Key': key } })
    status(again, 200)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(await outbox(t.id)).toHaveLength(mails + 1)
    const reused = await t.asOwner.post(`/api/v1/invoices/${invoice.id}/send`, { json: { message: 'Another body' }, headers: { 'Idempotency-Key': key } })
    status(reused, 409)
    expect(await outbox(t.id)).toHaveLength(mails + 1)
  })
})

describe('credit notes', () => {
  it('GET /api/v1/credit-notes/{id}/pdf and POST …/send: CREDIT NOTE, its number, the credit remaining; mailed to the customer', async () => {
    // 2 × 50.00 at VAT 20%: net 100.00, tax 20.00, total 120.00
    const cn = await make(t.asOwner, '/api/v1/credit-notes', {
      customerId: customer, date: '2026-03-05', amountsAre: 'exclusive', invoiceId: invoice.id, issue: true,
      lines: [{ description: 'Workshop hours not used', quantity: '2', unitPrice: '50', accountId: acc['4000'], taxRateId: vat }],
    })
    expect(cn).toMatchObject({ number: 'CN-000001', total: '120.00' })
    const res = await t.asOwner.get(`/api/v1/credit-notes/${cn.id}/pdf`)
    status(res, 200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="credit-note-CN-000001.pdf"')
    const text = pdfText(res.bytes)
    expect(text).toContain('CREDIT NOTE')
    expect(text).toMatch(/Workshop hours not used\s+2\s+50\.00\s+VAT 20%\s+100\.00/)
    expect(text).toMatch(/VAT 20%\s+20%\s+100\.00\s+20\.00/)
    expect(text).toMatch(/Credit remaining USD\s+120\.00/)
    expect(text).not.toContain('Please pay')
    status(await t.asOwner.get(`/api/v1/invoices/${cn.id}/pdf`), 404)

    const sent = await t.asOwner.post(`/api/v1/credit-notes/${cn.id}/send`, { json: {} })
    status(sent, 200)
    expect(sent.body).toMatchObject({ id: cn.id, kind: 'credit_note', number: 'CN-000001' })
    const row = (await outbox(t.id)).at(-1)!
    expect(row).toMatchObject({ to: [email], subject: `Credit note CN-000001 from ${ORG}` })
    expect(row.attachments.map(a => a.filename)).toEqual(['credit-note-CN-000001.pdf'])
    expect((await sends(t.id)).at(-1)).toMatchObject({ action: 'credit_note.send', entity_id: cn.id })
  })
})
