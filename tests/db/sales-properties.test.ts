/**
 * The AR subledger's property test (SPEC §6 module 5: "Σ open invoice amounts − unallocated credits
 * (in base) = the AR control balance … a test holds this after every kind of document"): invoices,
 * credit notes, receipts, allocations and receipt voids racing through the API; the run and the
 * checks are tests/support/subledger-properties.ts. SALES_PROPERTY_RUNS sets the number of runs.
 */
import { describeSubledgerProperties } from '../support/subledger-properties'

describeSubledgerProperties({
  title: 'AR subledger',
  runsVariable: 'SALES_PROPERTY_RUNS',
  clerkRoles: ['ar_clerk'],
  partyPath: '/api/v1/customers',
  partyField: 'customerId',
  control: { code: '1100', sign: 1 },
  lineAccount: '4000',
  routes: { document: '/api/v1/invoices', credit: '/api/v1/credit-notes', payment: '/api/v1/receipts' },
  post: () => ({ issue: true }),
  targetField: 'invoiceId',
  paymentAccountField: 'depositAccountId',
  paymentAccount: '1010',
  tables: { documents: 'sales_documents', payments: 'receipts', allocations: 'sales_allocations' },
  kinds: { document: 'invoice', credit: 'credit_note' },
  columns: { allocDocument: 'invoice_id', allocCredit: 'credit_note_id', allocPayment: 'receipt_id', baseDocument: 'base_amount_invoice' },
  unpaidStatus: 'issued',
  refusals: ['ALLOCATION_EXCEEDS_DUE', 'ALLOCATION_EXCEEDS_AVAILABLE', 'ALLOCATION_INVOICE_NOT_OPEN', 'ALLOCATION_SOURCE_NOT_OPEN', 'ALLOCATION_INVALID', 'RECEIPT_NOT_ACTIVE'],
  paymentNotActive: 'RECEIPT_NOT_ACTIVE',
  partyBalances: true,
})
