/**
 * The invoice and credit-note PDF (server/domain/sales/document-pdf.ts), read back with poppler's
 * pdftotext and pdfimages.
 *
 * The worked invoice, USD, amounts exclusive of tax, worked by hand:
 *
 *   1. Website redesign (long description)   1 × 2,400.00          = 2,400.00   VAT 20% → 480.00
 *   2. Consulting hours                   12.5 ×   120.00 − 10%    = 1,350.00   VAT 20% → 270.00
 *      (12.5 × 120 = 1,500; less 10% = 1,350)
 *   3. Printed brochures                   500 ×     1.35          =   675.00   VAT 5%  →  33.75
 *
 *   Subtotal 2,400 + 1,350 + 675 = 4,425.00; tax 480 + 270 + 33.75 = 783.75; total 5,208.75.
 *   Per rate: VAT 20% on 3,750.00 = 750.00; VAT 5% on 675.00 = 33.75.
 *   Paid 1,000.00, so 4,208.75 is due.
 *
 * The same figures come out of shared/sales/document-maths.ts (checked below), so the PDF shows
 * what the invoice stores.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeDocument } from '../../shared/sales/document-maths'
import { pdfSafeText, renderSalesDocumentPdf, salesDocumentFilename } from '../../server/domain/sales/document-pdf'
import { pngImage } from '../support/images'
import { workedInvoice } from '../support/sales-documents'

const pdfText = (body: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: body }).toString('utf8')
/** The text in content order: the rotated watermark comes out as one word (the layout mode scatters its letters). */
const rawText = (body: Buffer) => execFileSync('pdftotext', ['-raw', '-', '-'], { input: body }).toString('utf8')
const pageCount = (body: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: body }).toString('utf8'))![1])

/** `pdfimages -list` of the bytes (it reads files only). */
function imageList(body: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'paksa-pdf-'))
  try {
    writeFileSync(join(dir, 'doc.pdf'), body)
    return execFileSync('pdfimages', ['-list', join(dir, 'doc.pdf')]).toString('utf8').split('\n').slice(2).filter(l => l.trim())
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('the worked invoice', () => {
  it('has the figures document-maths computes for its lines (the hand-worked ones)', () => {
    const vat20 = { id: 'vat20', rate: '20', components: [{ name: 'VAT', rate: '20' }] }
    const vat5 = { id: 'vat5', rate: '5', components: [{ name: 'VAT', rate: '5' }] }
    const r = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [
      { quantity: '1', unitPrice: '2400', taxRate: vat20 },
      { quantity: '12.5', unitPrice: '120', discountPercent: '10', taxRate: vat20 },
      { quantity: '500', unitPrice: '1.35', taxRate: vat5 },
    ] })
    expect(r.lines.map(l => l.amount)).toEqual(workedInvoice.lines.map(l => l.amount))
    expect([r.subtotal, r.taxTotal, r.total]).toEqual([workedInvoice.subtotal, workedInvoice.taxTotal, workedInvoice.total])
    expect(r.taxBreakdown.map(b => [b.net, b.tax])).toEqual(workedInvoice.taxBreakdown.map(b => [b.net, b.tax]))
  })
})

describe('renderSalesDocumentPdf', () => {
  it('shows the title, number, dates, reference, both parties, every line, tax per rate, the totals and the amount due', async () => {
    const body = await renderSalesDocumentPdf(workedInvoice)
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = pdfText(body)
    expect(text).toContain('INVOICE')
    expect(text).toMatch(/Invoice number\s+INV-000042/)
    expect(text).toMatch(/Invoice date\s+30 Nov 2026/)
    expect(text).toMatch(/Due date\s+30 Dec 2026/)
    expect(text).toMatch(/Reference\s+PO-7781/)
    expect(text).toContain('Northwind Studio Ltd')
    expect(text).toContain('Tax number: GB 123 4567 89')
    expect(text).toContain('Acme Trading GmbH')
    expect(text).toContain('Königstraße 5')
    expect(text).toContain('Tax number: DE 811 907 980')
    // Each line: description, quantity, unit price, discount, tax, amount with thousands separators.
    expect(text).toMatch(/Website redesign: discovery workshop.*\s1\s+2,400.00\s+VAT 20%\s+2,400.00/)
    expect(text).toMatch(/wireframes and visual design[\s\S]*hand-over session with your\s+team/) // the long description wraps, none of it lost
    expect(text).toMatch(/Consulting hours\s+12.5\s+120.00\s+10%\s+VAT 20%\s+1,350.00/)
    expect(text).toMatch(/Printed brochures \(A5, 4 pages\)\s+500\s+1.35\s+VAT 5%\s+675.00/)
    // Tax per rate: rate, net, tax.
    expect(text).toMatch(/VAT 20%\s+20%\s+3,750.00\s+750.00/)
    expect(text).toMatch(/VAT 5%\s+5%\s+675.00\s+33.75/)
    expect(text).toMatch(/Subtotal\s+4,425.00/)
    expect(text).toMatch(/Tax\s+783.75/)
    expect(text).toMatch(/Total USD\s+5,208.75/)
    expect(text).toMatch(/Amount paid\s+1,000.00/)
    expect(text).toMatch(/Amount due USD\s+4,208.75/)
    expect(rawText(body)).toMatch(/^Amount due\nUSD 4,208.75\nDue 30 Dec 2026$/m) // the box at the head
    expect(text).toContain('IBAN GB29 NWBK 6016 1331 9268 19')
    expect(text).toContain('Thank you for your business.')
    expect(text).toContain('Page 1 of 1')
    expect(rawText(body)).not.toMatch(/DRAFT|VOID/)
  })

  it('writes figures and dates in the organisation\'s formats, negatives in its style', async () => {
    const text = pdfText(await renderSalesDocumentPdf({
      ...workedInvoice,
      format: { dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', negativeStyle: 'parentheses' },
      lines: [...workedInvoice.lines, { description: 'Goodwill adjustment', quantity: '1', unitPrice: '-25.0000', discountPercent: null, taxLabel: null, amount: '-25.00' }],
    }))
    expect(text).toMatch(/Invoice date\s+30.11.2026/)
    expect(text).toMatch(/Consulting hours\s+12,5\s+120,00\s+10%\s+VAT 20%\s+1.350,00/)
    expect(text).toMatch(/Goodwill adjustment\s+1\s+\(25,00\)\s+\(25,00\)/)
    expect(text).toMatch(/Total USD\s+5.208,75/)
  })

  it('paginates a long invoice with the table header repeated and "Page x of y" on every page', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ description: `Line item number ${i + 1}`, quantity: '2', unitPrice: '1000.00', discountPercent: null, taxLabel: 'VAT 20%', amount: '2000.00' }))
    const body = await renderSalesDocumentPdf({ ...workedInvoice, lines, taxBreakdown: [{ label: 'VAT 20%', rate: '20', net: '120000.00', tax: '24000.00' }], subtotal: '120000.00', taxTotal: '24000.00', total: '144000.00', amountPaid: '0.00', amountDue: '144000.00' })
    const pages = pageCount(body)
    expect(pages).toBeGreaterThanOrEqual(2)
    const text = pdfText(body)
    const perPage = text.split('\f').filter(p => p.trim())
    expect(perPage).toHaveLength(pages)
    perPage.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages}`))
    expect(perPage[1]).toContain('Invoice INV-000042 (continued)')
    expect(perPage[1]).toMatch(/Description\s+Qty\s+Unit price\s+Tax\s+Amount/)
    for (let i = 1; i <= 60; i++) expect(text).toMatch(new RegExp(`Line item number ${i}\\s`))
    expect(text).toMatch(/Amount due USD\s+144,000.00/)
  })

  it('embeds the organisation\'s logo', async () => {
    const without = imageList(await renderSalesDocumentPdf(workedInvoice))
    expect(without).toHaveLength(0)
    const logo = pngImage(240, 80, { colour: [30, 90, 168] })
    const images = imageList(await renderSalesDocumentPdf({ ...workedInvoice, organisation: { ...workedInvoice.organisation, logo: { bytes: logo, contentType: 'image/png' } } }))
    expect(images).toHaveLength(1)
    expect(images[0]).toMatch(/^\s*1\s+\d+\s+image\s+240\s+80\s/)
  })

  it('marks a draft DRAFT and a void document VOID on every page', async () => {
    expect(rawText(await renderSalesDocumentPdf({ ...workedInvoice, status: 'draft' }))).toMatch(/^DRAFT$/m)
    const lines = Array.from({ length: 60 }, () => workedInvoice.lines[1]!)
    const voided = await renderSalesDocumentPdf({ ...workedInvoice, status: 'void', lines })
    const pages = rawText(voided).split('\f').filter(p => p.trim())
    expect(pages.length).toBeGreaterThanOrEqual(2)
    for (const page of pages) expect(page).toMatch(/^VOID$/m)
    expect(pdfText(voided)).toMatch(/Status\s+Void/)
  })

  it('titles a credit note CREDIT NOTE with the credit remaining', async () => {
    const text = pdfText(await renderSalesDocumentPdf({ ...workedInvoice, kind: 'credit_note', number: 'CN-000007', dueDate: null, status: 'issued', amountPaid: '0.00', amountDue: '5208.75' }))
    expect(text).toContain('CREDIT NOTE')
    expect(text).toMatch(/Credit note number\s+CN-000007/)
    expect(text).toMatch(/Credit remaining USD\s+5,208.75/)
    expect(text).not.toContain('INVOICE')
    expect(text).not.toContain('Due date')
  })

  it('writes a default payment sentence when the organisation has none', async () => {
    const text = pdfText(await renderSalesDocumentPdf({ ...workedInvoice, paymentInstructions: null }))
    expect(text).toContain('Please pay USD 4,208.75 by 30 Dec 2026, quoting INV-000042 as the reference.')
  })

  it('prints a character the standard fonts lack as "?", never as a wrong glyph', async () => {
    expect(pdfSafeText('Łódź “Co” – 100 € 東京\tx')).toBe('?ód? “Co” – 100 € ?? x')
    const text = pdfText(await renderSalesDocumentPdf({ ...workedInvoice, customer: { ...workedInvoice.customer, name: 'Łukasz Nowak Sp. z o.o.' } }))
    expect(text).toContain('?ukasz Nowak Sp. z o.o.')
  })

  it('names the file after the kind and number', () => {
    expect(salesDocumentFilename(workedInvoice)).toBe('invoice-INV-000042.pdf')
    expect(salesDocumentFilename({ kind: 'credit_note', number: 'CN/7 x' })).toBe('credit-note-CN-7-x.pdf')
  })
})
