/**
 * Invoices and credit notes (SPEC §5 routes `invoices`, `credit-notes`; §6 module 5): the
 * contracts of server/domain/sales/invoices.ts, shared by the routes, the pages and the OpenAPI
 * document. Both kinds share the body and the resource; a credit note adds `invoiceId`, an invoice
 * has `dueDate`.
 */
import { z } from 'zod'
import { discountProblem, LINE_MESSAGES, quantityProblem } from '../../shared/sales/document-maths'
import { AccountingDate, Amount, Currency, Rate } from './ledger'
import { defineContract, Email, FILE_MEDIA_TYPES, IdParams, listQuery, listResponse, Ok, Timestamp, Uuid } from './define'

export const SALES_DOCUMENT_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'void'] as const
export const AMOUNTS_ARE = ['exclusive', 'inclusive'] as const

/** A quantity: > 0, at most 15 digits before the point and 4 after (`"3"`, `"2.5"`). */
export const Quantity = z.string().refine(v => !quantityProblem(v), { error: issue => quantityProblem(issue.input) ?? LINE_MESSAGES.notAQuantity })
/** A discount in percent, 0–100, at most 4 decimals. */
export const Discount = z.string().refine(v => !discountProblem(v), LINE_MESSAGES.notADiscount)

export const DocumentLineBody = z.object({
  itemId: Uuid.nullable().optional(),
  description: z.string().trim().min(1, 'is required').max(1000),
  quantity: Quantity,
  unitPrice: Amount,
  discountPercent: Discount.nullable().optional(),
  /** The income account; left out, the item's income account. */
  accountId: Uuid.nullable().optional(),
  taxRateId: Uuid.nullable().optional(),
}).strict().meta({ id: 'SalesDocumentLineInput' })

const DocumentFields = {
  customerId: Uuid,
  date: AccountingDate,
  /** Default: the customer's currency, else the base currency. */
  currency: Currency.optional(),
  /** Base units per one unit of the currency; default: the rate table's on or before the date. */
  exchangeRate: Rate.optional(),
  reference: z.string().trim().max(100).transform(s => s || null).nullable().optional(),
  memo: z.string().trim().max(1000).transform(s => s || null).nullable().optional(),
  amountsAre: z.enum(AMOUNTS_ARE),
  lines: z.array(DocumentLineBody).min(1, 'a document needs at least one line').max(200, 'at most 200 lines'),
  /** Issue at once (number, posting) instead of saving a draft. */
  issue: z.boolean().optional(),
}

export const CreateInvoiceBody = z.object({ ...DocumentFields, dueDate: AccountingDate.nullable().optional() }).strict().meta({ id: 'CreateInvoice' })
/** A PATCH replaces the draft's fields given; `lines`, when given, replace them all. */
export const UpdateInvoiceBody = z.object({ ...DocumentFields, dueDate: AccountingDate.nullable().optional() }).omit({ issue: true }).partial()
  .extend({ version: z.number().int().min(1).optional() }).strict().meta({ id: 'UpdateInvoice' })
export const CreateCreditNoteBody = z.object({ ...DocumentFields, invoiceId: Uuid.nullable().optional() }).strict().meta({ id: 'CreateCreditNote' })
export const UpdateCreditNoteBody = z.object({ ...DocumentFields, invoiceId: Uuid.nullable().optional() }).omit({ issue: true }).partial()
  .extend({ version: z.number().int().min(1).optional() }).strict().meta({ id: 'UpdateCreditNote' })
export const VoidInvoiceBody = z.object({ date: AccountingDate.optional() }).strict().meta({ id: 'VoidInvoice' })
/** `POST …/{id}/send`: to whom (only the customer's own addresses; left out, all of them) and the sender's words. */
export const SendDocumentBody = z.object({
  to: z.array(Email).max(20, 'at most 20 addresses').optional()
    .meta({ description: 'A subset of the customer\'s own e-mail addresses (compared case-insensitively); left out, all of them. Any other address is 422 SEND_RECIPIENT_INVALID', examples: [['accounts@northwind.example']] }),
  message: z.string().trim().max(5000).optional().meta({ description: 'Your own words, shown in the mail above the summary (plain text; blank lines part paragraphs)', examples: ['Thank you for your business.'] }),
}).strict().meta({ id: 'SendSalesDocument' })

const TaxComponentFigures = z.object({
  taxRateId: Uuid, position: z.number().int(), name: z.string(), rate: z.string(), accountId: Uuid, net: z.string(), tax: z.string(),
}).meta({ id: 'SalesDocumentLineTax' })
export const DocumentLineResource = z.object({
  lineNo: z.number().int(), itemId: Uuid.nullable(), description: z.string(), quantity: z.string(), unitPrice: z.string(), discountPercent: z.string(),
  accountId: Uuid, taxRateId: Uuid.nullable(), amount: z.string(), net: z.string(), tax: z.string(), total: z.string(),
  taxes: z.array(TaxComponentFigures),
}).meta({ id: 'SalesDocumentLine' })
export const TaxBreakdownResource = z.object({
  taxRateId: Uuid, rate: z.string(), net: z.string(), tax: z.string(),
  components: z.array(z.object({ position: z.number().int(), name: z.string(), rate: z.string(), accountId: Uuid, net: z.string(), tax: z.string() })),
}).meta({ id: 'SalesDocumentTaxBreakdown' })

const DocumentResourceFields = {
  id: Uuid,
  kind: z.enum(['invoice', 'credit_note']),
  number: z.string().nullable().meta({ description: 'Given at issue: gapless per kind and prefix (`INV-000001`, `CN-000001`)' }),
  status: z.enum(SALES_DOCUMENT_STATUSES),
  customer: z.object({ id: Uuid, name: z.string() }),
  customerId: Uuid,
  date: z.string(),
  dueDate: z.string().nullable(),
  currency: z.string(),
  exchangeRate: z.string(),
  reference: z.string().nullable(),
  memo: z.string().nullable(),
  amountsAre: z.enum(AMOUNTS_ARE),
  invoiceId: Uuid.nullable(),
  subtotal: z.string(),
  taxTotal: z.string(),
  total: z.string(),
  amountPaid: z.string().meta({ description: 'Allocated so far (receipts and credit notes; for a credit note, what it has paid off)' }),
  amountDue: z.string().meta({ description: 'total − amountPaid; 0 when void' }),
  journalEntryId: Uuid.nullable(),
  voidEntryId: Uuid.nullable(),
  issuedAt: Timestamp.nullable(),
  voidedAt: Timestamp.nullable(),
  lines: z.array(DocumentLineResource),
  taxBreakdown: z.array(TaxBreakdownResource),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}
export const InvoiceResource = z.object(DocumentResourceFields).meta({ id: 'Invoice' })
export const CreditNoteResource = z.object(DocumentResourceFields).meta({ id: 'CreditNote' })
const summaryOf = (resource: typeof InvoiceResource) => resource.omit({ lines: true, taxBreakdown: true })
export const InvoiceSummary = summaryOf(InvoiceResource).meta({ id: 'InvoiceSummary' })
export const CreditNoteSummary = summaryOf(CreditNoteResource).meta({ id: 'CreditNoteSummary' })

const Bool = z.enum(['true', 'false']).transform(v => v === 'true')
export const DocumentListQuery = listQuery(['date', 'number', 'total', 'createdAt']).extend({
  customerId: Uuid.optional(),
  status: z.enum(SALES_DOCUMENT_STATUSES).optional(),
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
  overdue: Bool.optional().meta({ description: 'Issued or partially paid, due before today (tenant time zone), with an amount due' }),
})

/** What a body can be refused for (saved as a draft or issued). */
const DOCUMENT_REFUSALS = ['SALES_DOCUMENT_INVALID', 'SALES_ACCOUNT_INVALID', 'TAX_RATE_INVALID', 'TAX_RATE_INACTIVE', 'TAX_ACCOUNT_INVALID', 'LEDGER_NO_RATE', 'AMOUNT_OUT_OF_RANGE']
/** What issuing adds: the period, the control account, the ledger's range. */
const ISSUE_REFUSALS = ['LEDGER_PERIOD_CLOSED', 'CONTROL_ACCOUNT_INVALID', 'BALANCE_OUT_OF_RANGE']

/** What sending can be refused for, each before anything is written. */
const SEND_REFUSALS = ['SALES_DOCUMENT_NOT_ISSUED', 'CUSTOMER_EMAIL_MISSING', 'SEND_RECIPIENT_INVALID', 'DOCUMENT_TOO_LARGE']
const PDF = [FILE_MEDIA_TYPES.pdf]

const tag = 'Sales'
export const salesDocumentContracts = {
  listInvoices: defineContract({ operationId: 'listInvoices', method: 'get', path: '/api/v1/invoices', tag, audience: 'tenant', permission: 'ar:read', summary: 'Invoices (filters: customerId, status, from, to, overdue; q searches number, reference and customer name)', query: DocumentListQuery, response: listResponse(InvoiceSummary) }),
  createInvoice: defineContract({ operationId: 'createInvoice', method: 'post', path: '/api/v1/invoices', tag, audience: 'tenant', permission: 'ar:write', summary: 'Create a draft invoice, or create and issue it with `issue: true`', body: CreateInvoiceBody, response: InvoiceResource, successStatus: 201, idempotent: true, errors: [...DOCUMENT_REFUSALS, ...ISSUE_REFUSALS] }),
  getInvoice: defineContract({ operationId: 'getInvoice', method: 'get', path: '/api/v1/invoices/{id}', tag, audience: 'tenant', permission: 'ar:read', summary: 'One invoice with its lines and tax breakdown', params: IdParams, response: InvoiceResource }),
  updateInvoice: defineContract({ operationId: 'updateInvoice', method: 'patch', path: '/api/v1/invoices/{id}', tag, audience: 'tenant', permission: 'ar:write', summary: 'Change a draft invoice (lines given replace them all)', params: IdParams, body: UpdateInvoiceBody, response: InvoiceResource, errors: [...DOCUMENT_REFUSALS, 'SALES_DOCUMENT_NOT_DRAFT', 'STALE_VERSION'] }),
  deleteInvoice: defineContract({ operationId: 'deleteInvoice', method: 'delete', path: '/api/v1/invoices/{id}', tag, audience: 'tenant', permission: 'ar:write', summary: 'Delete a draft invoice (an issued one is voided instead)', params: IdParams, response: Ok, errors: ['SALES_DOCUMENT_NOT_DRAFT'] }),
  issueInvoice: defineContract({ operationId: 'issueInvoice', method: 'post', path: '/api/v1/invoices/{id}/issue', tag, audience: 'tenant', permission: 'ar:write', summary: 'Issue a draft invoice: its number, and its posting to the AR control account', params: IdParams, response: InvoiceResource, idempotent: true, errors: [...DOCUMENT_REFUSALS, ...ISSUE_REFUSALS, 'SALES_DOCUMENT_NOT_DRAFT'] }),
  voidInvoice: defineContract({ operationId: 'voidInvoice', method: 'post', path: '/api/v1/invoices/{id}/void', tag, audience: 'tenant', permission: 'ar:write', summary: 'Void an issued invoice: posts the reversal (date defaults to the invoice\'s); refused while anything is allocated to it', params: IdParams, body: VoidInvoiceBody, response: InvoiceResource, idempotent: true, errors: ['SALES_DOCUMENT_NOT_ISSUED', 'INVOICE_HAS_ALLOCATIONS', 'SALES_DOCUMENT_INVALID', 'LEDGER_PERIOD_CLOSED', 'BALANCE_OUT_OF_RANGE'] }),
  invoicePdf: defineContract({ operationId: 'getInvoicePdf', method: 'get', path: '/api/v1/invoices/{id}/pdf', tag, audience: 'tenant', permission: 'ar:read', summary: 'The invoice as a PDF attachment (`invoice-INV-000042.pdf`); a draft\'s carries a DRAFT watermark (`invoice-draft-<id>.pdf`), a void one VOID', params: IdParams, produces: PDF }),
  sendInvoice: defineContract({ operationId: 'sendInvoice', method: 'post', path: '/api/v1/invoices/{id}/send', tag, audience: 'tenant', permission: 'ar:write', summary: 'E-mail an issued (partially paid, paid) invoice with its PDF to the customer\'s own address(es); answers the invoice', params: IdParams, body: SendDocumentBody, response: InvoiceResource, idempotent: true, errors: SEND_REFUSALS }),
  listCreditNotes: defineContract({ operationId: 'listCreditNotes', method: 'get', path: '/api/v1/credit-notes', tag, audience: 'tenant', permission: 'ar:read', summary: 'Credit notes (filters: customerId, status, from, to; q searches number, reference and customer name)', query: DocumentListQuery, response: listResponse(CreditNoteSummary) }),
  createCreditNote: defineContract({ operationId: 'createCreditNote', method: 'post', path: '/api/v1/credit-notes', tag, audience: 'tenant', permission: 'ar:write', summary: 'Create a draft credit note, or create and issue it with `issue: true`; `invoiceId` links the original invoice', body: CreateCreditNoteBody, response: CreditNoteResource, successStatus: 201, idempotent: true, errors: [...DOCUMENT_REFUSALS, ...ISSUE_REFUSALS] }),
  getCreditNote: defineContract({ operationId: 'getCreditNote', method: 'get', path: '/api/v1/credit-notes/{id}', tag, audience: 'tenant', permission: 'ar:read', summary: 'One credit note with its lines and tax breakdown', params: IdParams, response: CreditNoteResource }),
  updateCreditNote: defineContract({ operationId: 'updateCreditNote', method: 'patch', path: '/api/v1/credit-notes/{id}', tag, audience: 'tenant', permission: 'ar:write', summary: 'Change a draft credit note (lines given replace them all)', params: IdParams, body: UpdateCreditNoteBody, response: CreditNoteResource, errors: [...DOCUMENT_REFUSALS, 'SALES_DOCUMENT_NOT_DRAFT', 'STALE_VERSION'] }),
  deleteCreditNote: defineContract({ operationId: 'deleteCreditNote', method: 'delete', path: '/api/v1/credit-notes/{id}', tag, audience: 'tenant', permission: 'ar:write', summary: 'Delete a draft credit note', params: IdParams, response: Ok, errors: ['SALES_DOCUMENT_NOT_DRAFT'] }),
  creditNotePdf: defineContract({ operationId: 'getCreditNotePdf', method: 'get', path: '/api/v1/credit-notes/{id}/pdf', tag, audience: 'tenant', permission: 'ar:read', summary: 'The credit note as a PDF attachment (`credit-note-CN-000001.pdf`); a draft\'s carries a DRAFT watermark', params: IdParams, produces: PDF }),
  sendCreditNote: defineContract({ operationId: 'sendCreditNote', method: 'post', path: '/api/v1/credit-notes/{id}/send', tag, audience: 'tenant', permission: 'ar:write', summary: 'E-mail an issued credit note with its PDF to the customer\'s own address(es); answers the credit note', params: IdParams, body: SendDocumentBody, response: CreditNoteResource, idempotent: true, errors: SEND_REFUSALS }),
  issueCreditNote: defineContract({ operationId: 'issueCreditNote', method: 'post', path: '/api/v1/credit-notes/{id}/issue', tag, audience: 'tenant', permission: 'ar:write', summary: 'Issue a draft credit note: its number, and its posting (credit AR, debit income and tax)', params: IdParams, response: CreditNoteResource, idempotent: true, errors: [...DOCUMENT_REFUSALS, ...ISSUE_REFUSALS, 'SALES_DOCUMENT_NOT_DRAFT'] }),
}
