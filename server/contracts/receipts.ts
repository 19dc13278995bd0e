/**
 * Receipts and allocations (SPEC §5 routes `receipts`, `credit-notes/{id}/allocations`; §6 module
 * 5): the contracts of server/domain/sales/receipts.ts and allocations.ts, shared by the routes,
 * the pages and the OpenAPI document.
 */
import { z } from 'zod'
import { AccountingDate, Amount, Currency, Rate } from './ledger'
import { defineContract, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const RECEIPT_STATUSES = ['active', 'void'] as const

/** An amount greater than zero (`"120.50"`), decided without floating point. */
const isPositive = (value: string | undefined) => !!value && /[1-9]/.test(value)
export const PositiveAmount = Amount.refine(isPositive, 'must be greater than zero')

export const AllocationInput = z.object({
  invoiceId: Uuid,
  /** In the documents' currency (the invoice's and the receipt's or credit note's must be the same). */
  amount: PositiveAmount,
}).strict().meta({ id: 'AllocationInput' })

export const CreateReceiptBody = z.object({
  customerId: Uuid,
  date: AccountingDate,
  amount: PositiveAmount,
  /** An active cash or bank asset account (not a control account, not a parent). */
  depositAccountId: Uuid,
  /** Default: the customer's currency, else the base currency. */
  currency: Currency.optional(),
  /** Base units per one unit of the currency; default: the rate table's on or before the date. */
  exchangeRate: Rate.optional(),
  reference: z.string().trim().max(100).transform(s => s || null).nullable().optional(),
  memo: z.string().trim().max(1000).transform(s => s || null).nullable().optional(),
  /** Invoices paid by this receipt, each once; the unallocated rest is the customer's credit. */
  allocations: z.array(AllocationInput).max(100, 'at most 100 allocations').optional(),
}).strict().meta({ id: 'CreateReceipt' })

export const AllocateBody = z.object({
  invoiceId: Uuid,
  amount: PositiveAmount,
  /** Default: the later of the two documents' dates. Never in a closed period. */
  date: AccountingDate.optional(),
}).strict().meta({ id: 'Allocate' })

export const VoidReceiptBody = z.object({ date: AccountingDate.optional() }).strict().meta({ id: 'VoidReceipt' })

export const AllocationResource = z.object({
  id: Uuid,
  invoiceId: Uuid,
  invoiceNumber: z.string(),
  receiptId: Uuid.nullable(),
  creditNoteId: Uuid.nullable(),
  /** The receipt's or the credit note's number. */
  sourceNumber: z.string(),
  customerId: Uuid,
  date: z.string(),
  currency: z.string(),
  amount: z.string(),
  baseAmountInvoice: z.string().meta({ description: 'Base taken off the invoice (amount × its rate, rounded; the settling allocation takes the rest)' }),
  baseAmountSource: z.string().meta({ description: 'Base taken off the receipt or credit note' }),
  fxAmount: z.string().meta({ description: 'Realised difference in base: baseAmountInvoice − baseAmountSource (positive: a loss)' }),
  fxEntryId: Uuid.nullable(),
  releasedAt: Timestamp.nullable().meta({ description: 'Set when the receipt was voided: the allocation no longer counts' }),
  createdAt: Timestamp,
}).meta({ id: 'Allocation' })

const ReceiptFields = {
  id: Uuid,
  number: z.string().meta({ description: 'Gapless per organisation: `RCT-000001`' }),
  status: z.enum(RECEIPT_STATUSES),
  customer: z.object({ id: Uuid, name: z.string() }),
  customerId: Uuid,
  date: z.string(),
  amount: z.string(),
  currency: z.string(),
  exchangeRate: z.string(),
  depositAccountId: Uuid,
  reference: z.string().nullable(),
  memo: z.string().nullable(),
  amountAllocated: z.string(),
  amountUnallocated: z.string().meta({ description: 'amount − amountAllocated: the customer\'s credit (0 when void)' }),
  journalEntryId: Uuid,
  voidEntryId: Uuid.nullable(),
  voidedAt: Timestamp.nullable(),
  allocations: z.array(AllocationResource),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}
export const ReceiptResource = z.object(ReceiptFields).meta({ id: 'Receipt' })
export const ReceiptSummary = ReceiptResource.omit({ allocations: true }).meta({ id: 'ReceiptSummary' })

const Bool = z.enum(['true', 'false']).transform(v => v === 'true')
export const ReceiptListQuery = listQuery(['date', 'number', 'amount', 'createdAt']).extend({
  customerId: Uuid.optional(),
  status: z.enum(RECEIPT_STATUSES).optional(),
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
  unallocated: Bool.optional().meta({ description: 'true: active receipts with an unallocated rest; false: the others' }),
})

/** What an allocation can be refused for, whichever layer refuses it. */
export const ALLOCATION_REFUSALS = [
  'ALLOCATION_EXCEEDS_DUE', 'ALLOCATION_EXCEEDS_AVAILABLE', 'ALLOCATION_CURRENCY_MISMATCH', 'ALLOCATION_CUSTOMER_MISMATCH',
  'ALLOCATION_INVOICE_NOT_OPEN', 'ALLOCATION_SOURCE_NOT_OPEN', 'ALLOCATION_INVALID', 'LEDGER_PERIOD_CLOSED', 'CONTROL_ACCOUNT_INVALID', 'BALANCE_OUT_OF_RANGE',
]
const RECEIPT_REFUSALS = ['RECEIPT_INVALID', 'RECEIPT_ACCOUNT_INVALID', 'LEDGER_NO_RATE', 'AMOUNT_OUT_OF_RANGE']

const tag = 'Sales'
export const receiptContracts = {
  listReceipts: defineContract({ operationId: 'listReceipts', method: 'get', path: '/api/v1/receipts', tag, audience: 'tenant', permission: 'ar:read', summary: 'Receipts (filters: customerId, status, from, to, unallocated; q searches number, reference and customer name)', query: ReceiptListQuery, response: listResponse(ReceiptSummary) }),
  createReceipt: defineContract({ operationId: 'createReceipt', method: 'post', path: '/api/v1/receipts', tag, audience: 'tenant', permission: 'ar:write', summary: 'Record money received: posts debit deposit account, credit AR control; allocates it to the invoices given', body: CreateReceiptBody, response: ReceiptResource, successStatus: 201, idempotent: true, errors: [...RECEIPT_REFUSALS, ...ALLOCATION_REFUSALS] }),
  getReceipt: defineContract({ operationId: 'getReceipt', method: 'get', path: '/api/v1/receipts/{id}', tag, audience: 'tenant', permission: 'ar:read', summary: 'One receipt with its allocations (released ones included)', params: IdParams, response: ReceiptResource }),
  allocateReceipt: defineContract({ operationId: 'createReceiptAllocation', method: 'post', path: '/api/v1/receipts/{id}/allocations', tag, audience: 'tenant', permission: 'ar:write', summary: 'Allocate part of a receipt\'s unallocated rest to an invoice of the same customer and currency', params: IdParams, body: AllocateBody, response: AllocationResource, successStatus: 201, idempotent: true, errors: ALLOCATION_REFUSALS }),
  voidReceipt: defineContract({ operationId: 'voidReceipt', method: 'post', path: '/api/v1/receipts/{id}/void', tag, audience: 'tenant', permission: 'ar:write', summary: 'Void a receipt: reverses its posting and its allocations\' FX postings (dated the receipt\'s date unless given) and releases its allocations', params: IdParams, body: VoidReceiptBody, response: ReceiptResource, idempotent: true, errors: ['RECEIPT_NOT_ACTIVE', 'RECEIPT_INVALID', 'LEDGER_PERIOD_CLOSED', 'BALANCE_OUT_OF_RANGE', 'BANK_ENTRY_MATCHED'] }),
  allocateCreditNote: defineContract({ operationId: 'createCreditNoteAllocation', method: 'post', path: '/api/v1/credit-notes/{id}/allocations', tag, audience: 'tenant', permission: 'ar:write', summary: 'Allocate part of an issued credit note to an invoice of the same customer and currency', params: IdParams, body: AllocateBody, response: AllocationResource, successStatus: 201, idempotent: true, errors: ALLOCATION_REFUSALS }),
}
