/**
 * Bills (SPEC §5 `bills`, §6 module 6; issue 13 point 2): the contracts of
 * server/domain/purchases/bills.ts, shared by the routes, the pages and the OpenAPI document. The
 * line body is the sales documents' (`DocumentLineBody`): a bill line names an expense or asset
 * account (or an item whose expense account it takes) and a purchase tax rate.
 */
import { z } from 'zod'
import { AccountingDate, Currency, Rate } from './ledger'
import { AMOUNTS_ARE, DocumentLineBody, DocumentLineResource, TaxBreakdownResource } from './sales-documents'
import { defineContract, FILE_MEDIA_TYPES, IdParams, listQuery, listResponse, Ok, Timestamp, Uuid } from './define'

export const BILL_STATUSES = ['draft', 'awaiting_approval', 'open', 'partially_paid', 'paid', 'void'] as const

export const BillFields = {
  vendorId: Uuid,
  date: AccountingDate,
  /** Default: the date + the vendor's payment terms, else the settings' default terms. */
  dueDate: AccountingDate.nullable().optional(),
  vendorReference: z.string().trim().min(1, 'is required').max(100).meta({ description: 'The vendor\'s own invoice number: once per vendor among bills that are not void (409 BILL_DUPLICATE_REFERENCE)' }),
  /** Default: the vendor's currency, else the base currency. */
  currency: Currency.optional(),
  exchangeRate: Rate.optional(),
  memo: z.string().trim().max(1000).transform(s => s || null).nullable().optional(),
  amountsAre: z.enum(AMOUNTS_ARE),
  lines: z.array(DocumentLineBody).min(1, 'a bill needs at least one line').max(200, 'at most 200 lines'),
}

export const CreateBillBody = z.object({
  ...BillFields,
  submit: z.boolean().optional().meta({ description: 'Submit at once: posts when the total in base currency is at or below billApprovalThreshold, else waits for approval' }),
}).strict().meta({ id: 'CreateBill' })
export const UpdateBillBody = z.object(BillFields).partial().extend({ version: z.number().int().min(1).optional() }).strict().meta({ id: 'UpdateBill' })
export const RejectBillBody = z.object({ reason: z.string().trim().min(1, 'is required').max(1000) }).strict().meta({ id: 'RejectBill' })
export const VoidBillBody = z.object({ date: AccountingDate.optional() }).strict().meta({ id: 'VoidBill' })
export const AttachmentParams = z.object({ id: Uuid, attachmentId: Uuid })
export const AttachmentQuery = z.object({ fileName: z.string().trim().max(200).optional().meta({ description: 'The file\'s name, for a raw body (a multipart part names its own)' }) })

export const BillAttachmentResource = z.object({
  id: Uuid, fileName: z.string(), mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg']), size: z.number().int(), sha256: z.string(),
  createdBy: Uuid.nullable(), createdAt: Timestamp,
}).meta({ id: 'BillAttachment' })

export const BillResourceFields = {
  id: Uuid,
  number: z.string().nullable().meta({ description: 'Given when the bill posts: gapless (`BILL-000001`)' }),
  status: z.enum(BILL_STATUSES),
  vendor: z.object({ id: Uuid, name: z.string() }),
  vendorId: Uuid,
  vendorReference: z.string().nullable().meta({ description: 'Always set on a bill; optional on a vendor credit' }),
  date: z.string(),
  dueDate: z.string(),
  currency: z.string(),
  exchangeRate: z.string(),
  memo: z.string().nullable(),
  amountsAre: z.enum(AMOUNTS_ARE),
  subtotal: z.string(),
  taxTotal: z.string(),
  total: z.string(),
  amountPaid: z.string(),
  amountDue: z.string().meta({ description: 'total − amountPaid once posted; 0 before and when void' }),
  journalEntryId: Uuid.nullable(),
  voidEntryId: Uuid.nullable(),
  kind: z.enum(['bill', 'vendor_credit']),
  creditedBillId: Uuid.nullable().meta({ description: 'A vendor credit\'s original bill, when it names one' }),
  submittedBy: Uuid.nullable(),
  submittedAt: Timestamp.nullable(),
  approvedBy: Uuid.nullable().meta({ description: 'Who approved it; null when it posted on submit (at or below the threshold)' }),
  approvedAt: Timestamp.nullable(),
  rejectedBy: Uuid.nullable(),
  rejectedAt: Timestamp.nullable(),
  rejectionReason: z.string().nullable().meta({ description: 'The last rejection\'s reason (kept after it is submitted again)' }),
  postedAt: Timestamp.nullable(),
  voidedAt: Timestamp.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}
export const BillResource = z.object({
  ...BillResourceFields,
  submittedByName: z.string().nullable().meta({ description: 'The submitter\'s name (their e-mail when they have none)' }),
  approvedByName: z.string().nullable(),
  rejectedByName: z.string().nullable(),
  lines: z.array(DocumentLineResource),
  taxBreakdown: z.array(TaxBreakdownResource),
  attachments: z.array(BillAttachmentResource),
}).meta({ id: 'Bill' })
export const BillSummary = z.object(BillResourceFields).meta({ id: 'BillSummary' })

export const BillListQuery = listQuery(['date', 'dueDate', 'number', 'total', 'createdAt']).extend({
  vendorId: Uuid.optional(),
  status: z.enum(BILL_STATUSES).optional(),
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
})

export const BILL_REFUSALS = ['BILL_INVALID', 'BILL_ACCOUNT_INVALID', 'BILL_DUPLICATE_REFERENCE', 'TAX_RATE_INVALID', 'TAX_RATE_INACTIVE', 'TAX_ACCOUNT_INVALID', 'LEDGER_NO_RATE', 'AMOUNT_OUT_OF_RANGE']
export const POST_REFUSALS = ['LEDGER_PERIOD_CLOSED', 'CONTROL_ACCOUNT_INVALID', 'BALANCE_OUT_OF_RANGE']
/** A bill's attachment as the body itself (PDF, PNG, JPEG) or the multipart field `file`. */
export const ATTACHMENT_UPLOAD_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'multipart/form-data'] as const

const tag = 'Purchases'
export const billContracts = {
  listBills: defineContract({ operationId: 'listBills', method: 'get', path: '/api/v1/bills', tag, audience: 'tenant', permission: 'ap:read', summary: 'Bills (filters: vendorId, status, from, to; q searches number, vendor reference and vendor name)', query: BillListQuery, response: listResponse(BillSummary) }),
  createBill: defineContract({ operationId: 'createBill', method: 'post', path: '/api/v1/bills', tag, audience: 'tenant', permission: 'ap:write', summary: 'Create a draft bill, or create and submit it with `submit: true`', body: CreateBillBody, response: BillResource, successStatus: 201, idempotent: true, errors: [...BILL_REFUSALS, ...POST_REFUSALS] }),
  getBill: defineContract({ operationId: 'getBill', method: 'get', path: '/api/v1/bills/{id}', tag, audience: 'tenant', permission: 'ap:read', summary: 'A bill with its lines and attachments', params: IdParams, response: BillResource, errors: ['NOT_FOUND'] }),
  updateBill: defineContract({ operationId: 'updateBill', method: 'patch', path: '/api/v1/bills/{id}', tag, audience: 'tenant', permission: 'ap:write', summary: 'Change a draft bill (lines given replace them all)', params: IdParams, body: UpdateBillBody, response: BillResource, errors: [...BILL_REFUSALS, 'BILL_NOT_DRAFT', 'STALE_VERSION'] }),
  deleteBill: defineContract({ operationId: 'deleteBill', method: 'delete', path: '/api/v1/bills/{id}', tag, audience: 'tenant', permission: 'ap:write', summary: 'Delete a draft bill (a posted one is voided instead)', params: IdParams, response: Ok, errors: ['BILL_NOT_DRAFT'] }),
  submitBill: defineContract({ operationId: 'submitBill', method: 'post', path: '/api/v1/bills/{id}/submit', tag, audience: 'tenant', permission: 'ap:write', summary: 'Submit a draft: at or below billApprovalThreshold (base currency) it posts at once (number, AP control credited), above it it waits for approval', params: IdParams, response: BillResource, idempotent: true, errors: [...BILL_REFUSALS, ...POST_REFUSALS, 'BILL_NOT_DRAFT'] }),
  approveBill: defineContract({ operationId: 'approveBill', method: 'post', path: '/api/v1/bills/{id}/approve', tag, audience: 'tenant', permission: 'ap:approve', summary: 'Approve a bill awaiting approval (not its submitter): it posts with the bill\'s date and gets its number', params: IdParams, response: BillResource, idempotent: true, errors: ['BILL_NOT_AWAITING_APPROVAL', 'SOD_SELF_APPROVAL', 'BILL_ACCOUNT_INVALID', 'TAX_ACCOUNT_INVALID', ...POST_REFUSALS] }),
  rejectBill: defineContract({ operationId: 'rejectBill', method: 'post', path: '/api/v1/bills/{id}/reject', tag, audience: 'tenant', permission: 'ap:approve', summary: 'Send a bill awaiting approval back to draft with a reason', params: IdParams, body: RejectBillBody, response: BillResource, errors: ['BILL_NOT_AWAITING_APPROVAL'] }),
  voidBill: defineContract({ operationId: 'voidBill', method: 'post', path: '/api/v1/bills/{id}/void', tag, audience: 'tenant', permission: 'ap:write', summary: 'Void a posted bill: posts the reversal (dated the bill\'s date unless given); refused while anything is paid', params: IdParams, body: VoidBillBody, response: BillResource, errors: ['BILL_NOT_POSTED', 'BILL_HAS_ALLOCATIONS', 'BILL_INVALID', 'LEDGER_PERIOD_CLOSED'] }),
  createBillAttachment: defineContract({ operationId: 'createBillAttachment', method: 'post', path: '/api/v1/bills/{id}/attachments', tag, audience: 'tenant', permission: 'ap:write', summary: 'Attach the vendor\'s document: a PDF, PNG or JPEG of at most 10 MB (its type read from its bytes), as the request body or the multipart field `file`', params: IdParams, query: AttachmentQuery, accepts: ATTACHMENT_UPLOAD_TYPES, response: BillAttachmentResource, successStatus: 201, errors: ['VALIDATION_FAILED', 'ATTACHMENT_TOO_LARGE', 'ATTACHMENT_TYPE_INVALID', 'NOT_FOUND'] }),
  getBillAttachment: defineContract({ operationId: 'getBillAttachment', method: 'get', path: '/api/v1/bills/{id}/attachments/{attachmentId}', tag, audience: 'tenant', permission: 'ap:read', summary: 'Download an attachment as it was uploaded', params: AttachmentParams, produces: [FILE_MEDIA_TYPES.pdf, 'image/png', 'image/jpeg'], errors: ['NOT_FOUND'] }),
}
