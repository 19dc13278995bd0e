/**
 * The PDF of an invoice or credit note, as the customer receives it (pdfkit, A4): the
 * organisation with its logo at the top left, the title and the document's number, dates and
 * reference at the top right, the customer to bill, the lines, the tax per rate, the totals with
 * the amount due emphasised, the payment instructions and notes; "Page x of y" in every footer,
 * a DRAFT or VOID watermark across every page of a draft or void document.
 *
 * It is a pure function of `SalesDocumentPdf` (no database): the caller reads the document, the
 * organisation's settings and logo, and passes figures as the decimal strings they are stored as
 * (computed by shared/sales/document-maths.ts). Figures and dates follow the organisation's
 * settings through shared/format; the logo is drawn by the reports' `drawLogo`.
 *
 * Fonts: the PDF standard Helvetica, as the report PDFs use, so text is WinAnsi (Latin-1 and the
 * usual typographic marks, €, –, “ ”). A character outside it (Ł, 東) prints as "?" instead of
 * a wrong glyph (`pdfSafeText`).
 */
import PDFDocument from 'pdfkit'
import { compareDecimalStrings, formatDate, formatMoney, formatNumber, type DateFormat, type NegativeStyle, type NumberFormat } from '../../../shared/format'
import { drawLogo, pdfBytes } from '../reports/export'

export type SalesDocumentKind = 'invoice' | 'credit_note'
export type SalesDocumentStatus = 'draft' | 'issued' | 'partially_paid' | 'paid' | 'void'

/** Everything the PDF shows, figures as decimal strings fixed to the currency's minor unit. */
export interface SalesDocumentPdf {
  kind: SalesDocumentKind
  organisation: { name: string, address: string | null, taxNumber: string | null, logo: { bytes: Buffer, contentType: 'image/png' | 'image/jpeg' } | null }
  customer: { name: string, email: string | null, billingAddress: string | null, taxNumber: string | null }
  /** e.g. INV-000042 */
  number: string
  status: SalesDocumentStatus
  /** YYYY-MM-DD */
  date: string
  dueDate: string | null
  reference: string | null
  currency: string
  amountsAre: 'exclusive' | 'inclusive'
  lines: { description: string, quantity: string, unitPrice: string, discountPercent: string | null, taxLabel: string | null, amount: string }[]
  taxBreakdown: { label: string, rate: string, net: string, tax: string }[]
  subtotal: string
  taxTotal: string
  total: string
  amountPaid: string
  amountDue: string
  /** Bank details from the settings, or a default sentence. */
  paymentInstructions: string | null
  /** The organisation's settings (`documentOptions`/`getSettings` in server/domain/settings). */
  format: { dateFormat: DateFormat, numberFormat: NumberFormat, negativeStyle: NegativeStyle }
  notes: string | null
}

/** The characters Helvetica's WinAnsi encoding has beyond Latin-1's printable ones (its 0x80–0x9F). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')

/**
 * Text the standard PDF fonts can draw: printable Latin-1 and WinAnsi's marks stay, line breaks
 * stay, tabs become spaces, anything else becomes "?" (pdfkit would draw a wrong glyph instead).
 */
export function pdfSafeText(value: string): string {
  let out = ''
  for (const c of value.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const code = c.codePointAt(0)!
    out += c === '\n' || (code >= 0x20 && code <= 0x7E) || (code >= 0xA0 && code <= 0xFF) || WIN_ANSI_EXTRA.has(c) ? c : '?'
  }
  return out
}

const TITLES: Record<SalesDocumentKind, string> = { invoice: 'INVOICE', credit_note: 'CREDIT NOTE' }
const NAMES: Record<SalesDocumentKind, string> = { invoice: 'Invoice', credit_note: 'Credit note' }
const STATUS_LABELS: Record<SalesDocumentStatus, string> = { draft: 'Draft', issued: 'Issued', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void' }

/** The document's kind and number as its file and its mail name it: `Invoice INV-000042`. */
export function salesDocumentTitle(doc: Pick<SalesDocumentPdf, 'kind' | 'number'>): string {
  return `${NAMES[doc.kind]} ${doc.number}`
}

/** A file name for the PDF: `invoice-INV-000042.pdf` (characters unsafe in a file name become "-"). */
export function salesDocumentFilename(doc: Pick<SalesDocumentPdf, 'kind' | 'number'>): string {
  return `${doc.kind === 'invoice' ? 'invoice' : 'credit-note'}-${doc.number.replace(/[^\w.-]+/g, '-')}.pdf`
}

// Layout, in PDF points (A4 is 595 × 842).
const MARGIN = { top: 44, left: 48, right: 48, bottom: 64 }
const INK = '#1f2933'
const MUTED = '#6b7280'
const ACCENT = '#1e5aa8'
const RULE = '#d9dee5'
const SHADE = '#f1f4f8'
const LOGO_BOX = { width: 170, height: 56 }
const BODY = 9
const CELL_PAD = 5

/** A decimal without its trailing zeros beyond `minPlaces` ("2.0000" → "2", "12.5000" at 2 → "12.50"). */
function trimmed(value: string, minPlaces: number): string {
  const [whole, fraction = ''] = value.trim().split('.')
  let f = fraction.replace(/0+$/, '')
  if (f.length < minPlaces) f = f.padEnd(minPlaces, '0')
  return f ? `${whole}.${f}` : whole!
}

function placesOf(value: string): number {
  const dot = value.indexOf('.')
  return dot < 0 ? 0 : value.length - dot - 1
}

/** Whether a line's discount is printed (a zero discount is no discount). */
const discountShown = (percent: string | null): percent is string => percent !== null && compareDecimalStrings(percent, '0') !== 0

/** Renders the document as an A4 PDF (see the module comment). */
export function renderSalesDocumentPdf(input: SalesDocumentPdf): Promise<Buffer> {
  const { numberFormat, negativeStyle, dateFormat } = input.format
  const minor = placesOf(input.total)
  const money = (v: string) => formatMoney(v, { numberFormat, negativeStyle })
  const withCurrency = (v: string) => `${input.currency} ${money(v)}`
  const date = (iso: string) => formatDate(iso, dateFormat) || iso
  const t = pdfSafeText
  const title = salesDocumentTitle(input)

  const pdf = new PDFDocument({
    size: 'A4', margins: MARGIN, bufferPages: true,
    info: { Title: t(`${title} — ${input.organisation.name}`), Author: t(input.organisation.name), Producer: 'Paksa Financial', Creator: 'Paksa Financial' },
  })
  const left = MARGIN.left
  const width = pdf.page.width - MARGIN.left - MARGIN.right
  const right = left + width
  const bottom = () => pdf.page.height - MARGIN.bottom

  const text = (value: string, x: number, y: number, options: PDFKit.Mixins.TextOptions & { font?: string, size?: number, color?: string } = {}) => {
    const { font = 'Helvetica', size = BODY, color = INK, ...rest } = options
    pdf.font(font).fontSize(size).fillColor(color).text(t(value), x, y, rest)
    return pdf.y
  }
  const rule = (y: number, x0 = left, x1 = right, color = RULE, lineWidth = 0.6) => {
    pdf.moveTo(x0, y).lineTo(x1, y).lineWidth(lineWidth).strokeColor(color).stroke()
  }

  const write = () => {
    // ------------------------------------------------------------ head
    const top = MARGIN.top
    const orgWidth = width * 0.55
    let y = top
    if (input.organisation.logo) {
      drawLogo(pdf, input.organisation.logo.bytes, left, top, { ...LOGO_BOX, align: 'left' })
      y = top + LOGO_BOX.height + 10
    }
    y = text(input.organisation.name, left, y, { font: 'Helvetica-Bold', size: 12, width: orgWidth })
    if (input.organisation.address) y = text(input.organisation.address, left, y + 2, { size: BODY, color: MUTED, width: orgWidth, lineGap: 1 })
    if (input.organisation.taxNumber) y = text(`Tax number: ${input.organisation.taxNumber}`, left, y + 2, { size: BODY, color: MUTED, width: orgWidth })
    const orgBottom = y

    // The title and the document's particulars at the right.
    const metaWidth = 210
    const metaX = right - metaWidth
    text(TITLES[input.kind], metaX, top - 2, { font: 'Helvetica-Bold', size: 22, color: ACCENT, width: metaWidth, align: 'right', characterSpacing: 1 })
    const meta: [string, string][] = [
      [`${NAMES[input.kind]} number`, input.number],
      [input.kind === 'invoice' ? 'Invoice date' : 'Date', date(input.date)],
      ...(input.dueDate ? [['Due date', date(input.dueDate)] as [string, string]] : []),
      ...(input.reference ? [['Reference', input.reference] as [string, string]] : []),
      ['Currency', input.currency],
      ...(input.status !== 'issued' ? [['Status', STATUS_LABELS[input.status]] as [string, string]] : []),
    ]
    let my = top + 34
    for (const [label, value] of meta) {
      text(label, metaX, my, { size: BODY, color: MUTED, width: 90 })
      const after = text(value, metaX + 90, my, { font: 'Helvetica-Bold', size: BODY, width: metaWidth - 90, align: 'right' })
      my = Math.max(after, my + 12) + 2
    }
    y = Math.max(orgBottom, my) + 22

    // ------------------------------------------------------------ the customer, and what is due
    const billTop = y
    const billWidth = width * 0.55
    y = text(input.kind === 'invoice' ? 'BILL TO' : 'CUSTOMER', left, y, { font: 'Helvetica-Bold', size: 7.5, color: MUTED, characterSpacing: 0.8 })
    y = text(input.customer.name, left, y + 3, { font: 'Helvetica-Bold', size: 11, width: billWidth })
    if (input.customer.billingAddress) y = text(input.customer.billingAddress, left, y + 2, { width: billWidth, lineGap: 1 })
    if (input.customer.email) y = text(input.customer.email, left, y + 2, { width: billWidth, color: MUTED })
    if (input.customer.taxNumber) y = text(`Tax number: ${input.customer.taxNumber}`, left, y + 2, { width: billWidth, color: MUTED })

    const boxWidth = 190
    const boxX = right - boxWidth
    const boxHeight = input.dueDate && input.kind === 'invoice' ? 62 : 50
    pdf.roundedRect(boxX, billTop, boxWidth, boxHeight, 4).fillAndStroke(SHADE, SHADE)
    pdf.rect(boxX, billTop, 3, boxHeight).fill(ACCENT)
    text(input.kind === 'invoice' ? 'Amount due' : 'Credit remaining', boxX + 14, billTop + 9, { size: 8.5, color: MUTED })
    text(withCurrency(input.amountDue), boxX + 14, billTop + 21, { font: 'Helvetica-Bold', size: 15, color: INK, width: boxWidth - 24 })
    if (input.dueDate && input.kind === 'invoice') text(`Due ${date(input.dueDate)}`, boxX + 14, billTop + 42, { size: 8.5, color: MUTED })
    y = Math.max(y, billTop + boxHeight) + 22

    // ------------------------------------------------------------ the lines
    const discounted = input.lines.some(l => discountShown(l.discountPercent))
    const fixed = { qty: 44, unit: 70, disc: discounted ? 40 : 0, tax: 64, amount: 82 }
    const columns = [
      { key: 'description', label: 'Description', width: width - fixed.qty - fixed.unit - fixed.disc - fixed.tax - fixed.amount, align: 'left' as const },
      { key: 'qty', label: 'Qty', width: fixed.qty, align: 'right' as const },
      { key: 'unit', label: 'Unit price', width: fixed.unit, align: 'right' as const },
      ...(discounted ? [{ key: 'disc', label: 'Disc.', width: fixed.disc, align: 'right' as const }] : []),
      { key: 'tax', label: 'Tax', width: fixed.tax, align: 'right' as const },
      { key: 'amount', label: input.amountsAre === 'inclusive' ? 'Amount incl. tax' : 'Amount', width: fixed.amount, align: 'right' as const },
    ]
    const cells = (l: SalesDocumentPdf['lines'][number]): Record<string, string> => ({
      description: l.description,
      qty: formatNumber(trimmed(l.quantity, 0), { numberFormat }),
      unit: formatMoney(trimmed(l.unitPrice, minor), { numberFormat, negativeStyle }),
      disc: discountShown(l.discountPercent) ? `${formatNumber(trimmed(l.discountPercent, 0), { numberFormat })}%` : '',
      tax: l.taxLabel ?? '',
      amount: money(l.amount),
    })
    const header = (at: number) => {
      pdf.rect(left, at, width, 20).fill(SHADE)
      let x = left
      for (const c of columns) {
        text(c.label, x + CELL_PAD, at + 6.5, { font: 'Helvetica-Bold', size: 8, color: MUTED, width: c.width - 2 * CELL_PAD, align: c.align, lineBreak: false })
        x += c.width
      }
      return at + 20
    }
    const continued = () => {
      pdf.addPage()
      text(`${title} (continued)`, left, MARGIN.top, { font: 'Helvetica-Bold', size: 10, color: MUTED })
      return MARGIN.top + 20
    }
    y = header(y)
    for (const line of input.lines) {
      const row = cells(line)
      pdf.font('Helvetica').fontSize(BODY)
      const height = Math.max(...columns.map(c => pdf.heightOfString(t(row[c.key] ?? ''), { width: c.width - 2 * CELL_PAD }))) + 2 * CELL_PAD
      if (y + height > bottom()) y = header(continued())
      let x = left
      for (const c of columns) {
        text(row[c.key] ?? '', x + CELL_PAD, y + CELL_PAD, { width: c.width - 2 * CELL_PAD, align: c.align })
        x += c.width
      }
      y += height
      rule(y)
    }

    // ------------------------------------------------------------ tax per rate and the totals
    const totals: { label: string, value: string, strong?: boolean, due?: boolean }[] = [
      { label: input.amountsAre === 'inclusive' ? 'Subtotal (net)' : 'Subtotal', value: money(input.subtotal) },
      { label: 'Tax', value: money(input.taxTotal) },
      { label: `Total ${input.currency}`, value: money(input.total), strong: true },
      { label: input.kind === 'invoice' ? 'Amount paid' : 'Amount applied', value: money(input.amountPaid) },
      { label: input.kind === 'invoice' ? `Amount due ${input.currency}` : `Credit remaining ${input.currency}`, value: money(input.amountDue), due: true },
    ]
    const taxRows = input.taxBreakdown.length
    const needed = Math.max(totals.length * 18 + 16, taxRows ? 34 + taxRows * 14 : 0) + 10
    if (y + 14 + needed > bottom()) y = continued()
    else y += 14
    const blockTop = y

    if (taxRows) {
      const taxWidth = width - 250
      const tc = [{ label: 'Tax rate', w: taxWidth - 170, align: 'left' as const }, { label: 'Rate', w: 50, align: 'right' as const }, { label: 'Net', w: 60, align: 'right' as const }, { label: 'Tax', w: 60, align: 'right' as const }]
      text('TAX SUMMARY', left, y, { font: 'Helvetica-Bold', size: 7.5, color: MUTED, characterSpacing: 0.8 })
      y += 13
      let x = left
      for (const c of tc) {
        text(c.label, x, y, { font: 'Helvetica-Bold', size: 8, color: MUTED, width: c.w, align: c.align, lineBreak: false })
        x += c.w
      }
      y += 12
      rule(y - 2, left, left + taxWidth)
      for (const b of input.taxBreakdown) {
        const values = [b.label, `${formatNumber(trimmed(b.rate, 0), { numberFormat })}%`, money(b.net), money(b.tax)]
        x = left
        let rowBottom = y
        tc.forEach((c, i) => {
          rowBottom = Math.max(rowBottom, text(values[i]!, x, y + 2, { size: 8.5, width: c.w - (i === 0 ? 6 : 0), align: c.align }))
          x += c.w
        })
        y = rowBottom + 2
      }
    }
    const taxBottom = y

    const totalsWidth = 220
    const tx = right - totalsWidth
    y = blockTop
    for (const row of totals) {
      if (row.strong) rule(y - 1, tx, right, INK, 0.8)
      if (row.due) {
        pdf.rect(tx, y, totalsWidth, 22).fill(SHADE)
        text(row.label, tx + 8, y + 6.5, { font: 'Helvetica-Bold', size: 10, width: 120 })
        text(row.value, tx + 120, y + 6.5, { font: 'Helvetica-Bold', size: 10, width: totalsWidth - 128, align: 'right' })
        y += 26
      }
      else {
        const font = row.strong ? 'Helvetica-Bold' : 'Helvetica'
        text(row.label, tx + 8, y + 3, { font, size: BODY, color: row.strong ? INK : MUTED, width: 120 })
        text(row.value, tx + 120, y + 3, { font, size: BODY, width: totalsWidth - 128, align: 'right' })
        y += 17
      }
    }
    y = Math.max(y, taxBottom) + 18

    // ------------------------------------------------------------ payment instructions, notes
    const paragraph = (heading: string, body: string) => {
      pdf.font('Helvetica').fontSize(BODY)
      const height = 14 + pdf.heightOfString(t(body), { width, lineGap: 1 })
      if (y + Math.min(height, 60) > bottom()) y = continued()
      text(heading, left, y, { font: 'Helvetica-Bold', size: 7.5, color: MUTED, characterSpacing: 0.8 })
      y = text(body, left, y + 12, { width, lineGap: 1 }) + 12
    }
    if (input.kind === 'invoice') {
      const instructions = input.paymentInstructions
        ?? `Please pay ${withCurrency(input.amountDue)}${input.dueDate ? ` by ${date(input.dueDate)}` : ''}, quoting ${input.number} as the reference.`
      paragraph('PAYMENT', instructions)
    }
    if (input.notes) paragraph('NOTES', input.notes)

    // ------------------------------------------------------------ every page: watermark and footer
    const range = pdf.bufferedPageRange()
    const watermark = input.status === 'void' ? 'VOID' : input.status === 'draft' ? 'DRAFT' : null
    const footerLeft = [input.organisation.name, input.organisation.taxNumber ? `Tax number ${input.organisation.taxNumber}` : null, title].filter(Boolean).join('  ·  ')
    for (let i = range.start; i < range.start + range.count; i++) {
      pdf.switchToPage(i)
      if (watermark) {
        pdf.save()
        pdf.rotate(-35, { origin: [pdf.page.width / 2, pdf.page.height / 2] })
        pdf.font('Helvetica-Bold').fontSize(120).fillColor(input.status === 'void' ? '#c0392b' : '#9aa5b1').fillOpacity(0.16)
        pdf.text(watermark, 0, pdf.page.height / 2 - 60, { width: pdf.page.width, align: 'center', lineBreak: false })
        pdf.restore()
        pdf.fillOpacity(1)
      }
      // Written inside the bottom margin: lift it so pdfkit does not start a new page for the footer.
      pdf.page.margins.bottom = 0
      const fy = pdf.page.height - MARGIN.bottom + 24
      rule(fy - 8)
      text(footerLeft, left, fy, { size: 7.5, color: MUTED, width: width - 90, lineBreak: false, ellipsis: true })
      text(`Page ${i - range.start + 1} of ${range.count}`, right - 90, fy, { size: 7.5, color: MUTED, width: 90, align: 'right', lineBreak: false })
      pdf.page.margins.bottom = MARGIN.bottom
    }
    pdf.flushPages()
    pdf.end()
  }
  return pdfBytes(pdf, write)
}
