/**
 * A worked invoice for the sales-document PDF and mail tests (figures worked by hand in
 * tests/unit/document-pdf.test.ts's header).
 */
import type { SalesDocumentPdf } from '../../server/domain/sales/document-pdf'

const LONG_DESCRIPTION = 'Website redesign: discovery workshop, wireframes and visual design for the new customer portal, including two rounds of revisions and a hand-over session with your team'

export const workedInvoice: SalesDocumentPdf = {
  kind: 'invoice',
  organisation: { name: 'Northwind Studio Ltd', address: '12 Harbour Street\nBristol BS1 4XY\nUnited Kingdom', taxNumber: 'GB 123 4567 89', logo: null },
  customer: { name: 'Acme Trading GmbH', email: 'accounts@acme.test', billingAddress: 'Königstraße 5\n70173 Stuttgart\nGermany', taxNumber: 'DE 811 907 980' },
  number: 'INV-000042',
  status: 'partially_paid',
  date: '2026-11-30',
  dueDate: '2026-12-30',
  reference: 'PO-7781',
  currency: 'USD',
  amountsAre: 'exclusive',
  lines: [
    { description: LONG_DESCRIPTION, quantity: '1.0000', unitPrice: '2400.0000', discountPercent: null, taxLabel: 'VAT 20%', amount: '2400.00' },
    { description: 'Consulting hours', quantity: '12.5000', unitPrice: '120.0000', discountPercent: '10.0000', taxLabel: 'VAT 20%', amount: '1350.00' },
    { description: 'Printed brochures (A5, 4 pages)', quantity: '500.0000', unitPrice: '1.3500', discountPercent: null, taxLabel: 'VAT 5%', amount: '675.00' },
  ],
  taxBreakdown: [
    { label: 'VAT 20%', rate: '20.0000', net: '3750.00', tax: '750.00' },
    { label: 'VAT 5%', rate: '5.0000', net: '675.00', tax: '33.75' },
  ],
  subtotal: '4425.00',
  taxTotal: '783.75',
  total: '5208.75',
  amountPaid: '1000.00',
  amountDue: '4208.75',
  paymentInstructions: 'Bank transfer to Northwind Studio Ltd\nIBAN GB29 NWBK 6016 1331 9268 19 · BIC NWBKGB2L\nPlease quote INV-000042 as the reference.',
  format: { dateFormat: 'D MMM YYYY', numberFormat: '1,234.56', negativeStyle: 'minus' },
  notes: 'Thank you for your business.',
}
