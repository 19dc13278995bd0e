/**
 * Vendor credits (SPEC §5 `vendor-credits`; issue 13 point 3): the contracts of
 * server/domain/purchases/vendor-credits.ts. A vendor credit is a bill's twin (the same line body,
 * `DocumentLineBody`, and resource), posted the other way, with its allocations to bills.
 */
import { z } from 'zod'
import { AccountingDate } from './ledger'
import { BillAllocateBody, BillAllocationResource, BILL_ALLOCATION_REFUSALS } from './bill-payments'
import { BILL_REFUSALS, BillAttachmentResource, BillFields, BillListQuery, BillResourceFields, POST_REFUSALS } from './bills'
import { DocumentLineResource, TaxBreakdownResource } from './sales-documents'
import { defineContract, IdParams, listResponse, Ok, Uuid } from './define'

const { dueDate: _due, vendorReference: _ref, ...fields } = BillFields
const VendorCreditFields = {
  ...fields,
  vendorReference: z.string().trim().max(100).transform(s => s || null).nullable().optional().meta({ description: 'The vendor\'s credit note number: once per vendor among vendor credits that are not void (409 BILL_DUPLICATE_REFERENCE)' }),
  lines: fields.lines,
  /** The posted bill of the same vendor this credits (informational: allocate to pay it). */
  billId: Uuid.nullable().optional(),
}

export const CreateVendorCreditBody = z.object({
  ...VendorCreditFields,
  issue: z.boolean().optional().meta({ description: 'Issue at once: numbered and posted (Dr AP control, Cr the lines\' accounts)' }),
}).strict().meta({ id: 'CreateVendorCredit' })
export const UpdateVendorCreditBody = z.object(VendorCreditFields).partial().extend({ version: z.number().int().min(1).optional() }).strict().meta({ id: 'UpdateVendorCredit' })
export const VoidVendorCreditBody = z.object({ date: AccountingDate.optional() }).strict().meta({ id: 'VoidVendorCredit' })

const { status: _status, ...resourceFields } = BillResourceFields
const CreditFields = {
  ...resourceFields,
  status: z.enum(['draft', 'open', 'void']).meta({ description: 'open: issued; it stays open while allocations use it up (amountPaid: allocated, amountDue: what is left)' }),
}
export const VendorCreditResource = z.object({
  ...CreditFields,
  lines: z.array(DocumentLineResource),
  taxBreakdown: z.array(TaxBreakdownResource),
  attachments: z.array(BillAttachmentResource),
  allocations: z.array(BillAllocationResource),
}).meta({ id: 'VendorCredit' })
export const VendorCreditSummary = z.object(CreditFields).meta({ id: 'VendorCreditSummary' })
export const VendorCreditListQuery = BillListQuery.extend({ status: z.enum(['draft', 'open', 'void']).optional() })

const tag = 'Purchases'
export const vendorCreditContracts = {
  listVendorCredits: defineContract({ operationId: 'listVendorCredits', method: 'get', path: '/api/v1/vendor-credits', tag, audience: 'tenant', permission: 'ap:read', summary: 'Vendor credits (filters: vendorId, status, from, to; q searches number, vendor reference and vendor name)', query: VendorCreditListQuery, response: listResponse(VendorCreditSummary) }),
  createVendorCredit: defineContract({ operationId: 'createVendorCredit', method: 'post', path: '/api/v1/vendor-credits', tag, audience: 'tenant', permission: 'ap:write', summary: 'Create a draft vendor credit, or create and issue it with `issue: true`', body: CreateVendorCreditBody, response: VendorCreditResource, successStatus: 201, idempotent: true, errors: [...BILL_REFUSALS, ...POST_REFUSALS, 'VENDOR_CREDIT_INVALID'] }),
  getVendorCredit: defineContract({ operationId: 'getVendorCredit', method: 'get', path: '/api/v1/vendor-credits/{id}', tag, audience: 'tenant', permission: 'ap:read', summary: 'A vendor credit with its lines, attachments and allocations', params: IdParams, response: VendorCreditResource, errors: ['NOT_FOUND'] }),
  updateVendorCredit: defineContract({ operationId: 'updateVendorCredit', method: 'patch', path: '/api/v1/vendor-credits/{id}', tag, audience: 'tenant', permission: 'ap:write', summary: 'Change a draft vendor credit (lines given replace them all)', params: IdParams, body: UpdateVendorCreditBody, response: VendorCreditResource, errors: [...BILL_REFUSALS, 'VENDOR_CREDIT_INVALID', 'VENDOR_CREDIT_NOT_DRAFT', 'STALE_VERSION'] }),
  deleteVendorCredit: defineContract({ operationId: 'deleteVendorCredit', method: 'delete', path: '/api/v1/vendor-credits/{id}', tag, audience: 'tenant', permission: 'ap:write', summary: 'Delete a draft vendor credit (an issued one is voided instead)', params: IdParams, response: Ok, errors: ['VENDOR_CREDIT_NOT_DRAFT'] }),
  issueVendorCredit: defineContract({ operationId: 'issueVendorCredit', method: 'post', path: '/api/v1/vendor-credits/{id}/issue', tag, audience: 'tenant', permission: 'ap:write', summary: 'Issue a draft vendor credit: numbered (`VC-000001`) and posted with its date (Dr AP control, Cr the lines\' and tax accounts)', params: IdParams, response: VendorCreditResource, idempotent: true, errors: [...BILL_REFUSALS, ...POST_REFUSALS, 'VENDOR_CREDIT_INVALID', 'VENDOR_CREDIT_NOT_DRAFT'] }),
  voidVendorCredit: defineContract({ operationId: 'voidVendorCredit', method: 'post', path: '/api/v1/vendor-credits/{id}/void', tag, audience: 'tenant', permission: 'ap:write', summary: 'Void an issued vendor credit: posts the reversal (dated its date unless given); refused while allocated', params: IdParams, body: VoidVendorCreditBody, response: VendorCreditResource, errors: ['VENDOR_CREDIT_NOT_OPEN', 'BILL_HAS_ALLOCATIONS', 'VENDOR_CREDIT_INVALID', 'LEDGER_PERIOD_CLOSED'] }),
  allocateVendorCredit: defineContract({ operationId: 'createVendorCreditAllocation', method: 'post', path: '/api/v1/vendor-credits/{id}/allocations', tag, audience: 'tenant', permission: 'ap:write', summary: 'Allocate part of an issued vendor credit to a bill of the same vendor and currency', params: IdParams, body: BillAllocateBody, response: BillAllocationResource, successStatus: 201, idempotent: true, errors: BILL_ALLOCATION_REFUSALS }),
}
