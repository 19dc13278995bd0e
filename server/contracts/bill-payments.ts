/**
 * Bill payments and purchase allocations (SPEC §5 `bill-payments`, `vendor-credits/{id}/allocations`;
 * issue 13 point 3): the contracts of server/domain/purchases/bill-payments.ts and allocations.ts,
 * shared by the routes, the pages and the OpenAPI document. Recording, allocating and voiding a
 * payment needs `ap:pay` (SPEC §4: money leaving the organisation is not an AP clerk's).
 */
import { z } from 'zod'
import { AccountingDate, Currency, Rate } from './ledger'
import { PositiveAmount } from './receipts'
import { defineContract, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const BILL_PAYMENT_STATUSES = ['active', 'void'] as const

export const BillAllocationInput = z.object({
  billId: Uuid,
  /** In the documents' currency (the bill's and the payment's or vendor credit's must be the same). */
  amount: PositiveAmount,
}).strict().meta({ id: 'BillAllocationInput' })

export const CreateBillPaymentBody = z.object({
  vendorId: Uuid,
  date: AccountingDate,
  amount: PositiveAmount,
  /** An active cash or bank asset account (not a control account, not a parent). */
  paymentAccountId: Uuid,
  /** Default: the vendor's currency, else the base currency. */
  currency: Currency.optional(),
  /** Base units per one unit of the currency; default: the rate table's on or before the date. */
  exchangeRate: Rate.optional(),
  reference: z.string().trim().max(100).transform(s => s || null).nullable().optional(),
  memo: z.string().trim().max(1000).transform(s => s || null).nullable().optional(),
  /** Bills paid by this payment, each once; the unallocated rest is a prepayment to the vendor. */
  allocations: z.array(BillAllocationInput).max(100, 'at most 100 allocations').optional(),
}).strict().meta({ id: 'CreateBillPayment' })

export const BillAllocateBody = z.object({
  billId: Uuid,
  amount: PositiveAmount,
  /** Default: the later of the two documents' dates. Never in a closed period. */
  date: AccountingDate.optional(),
}).strict().meta({ id: 'BillAllocate' })

export const VoidBillPaymentBody = z.object({ date: AccountingDate.optional() }).strict().meta({ id: 'VoidBillPayment' })

export const BillAllocationResource = z.object({
  id: Uuid,
  billId: Uuid,
  billNumber: z.string(),
  paymentId: Uuid.nullable(),
  vendorCreditId: Uuid.nullable(),
  /** The payment's or the vendor credit's number. */
  sourceNumber: z.string(),
  vendorId: Uuid,
  date: z.string(),
  currency: z.string(),
  amount: z.string(),
  baseAmountBill: z.string().meta({ description: 'Base taken off the bill (amount × its rate, rounded; the settling allocation takes the rest)' }),
  baseAmountSource: z.string().meta({ description: 'Base taken off the payment or vendor credit' }),
  fxAmount: z.string().meta({ description: 'Realised difference in base: baseAmountBill − baseAmountSource (negative: a loss, the bill cost more in base than booked)' }),
  fxEntryId: Uuid.nullable(),
  releasedAt: Timestamp.nullable().meta({ description: 'Set when the payment was voided: the allocation no longer counts' }),
  createdAt: Timestamp,
}).meta({ id: 'BillAllocation' })

const BillPaymentFields = {
  id: Uuid,
  number: z.string().meta({ description: 'Gapless per organisation: `PAY-000001`' }),
  status: z.enum(BILL_PAYMENT_STATUSES),
  vendor: z.object({ id: Uuid, name: z.string() }),
  vendorId: Uuid,
  date: z.string(),
  amount: z.string(),
  currency: z.string(),
  exchangeRate: z.string(),
  paymentAccountId: Uuid,
  reference: z.string().nullable(),
  memo: z.string().nullable(),
  amountAllocated: z.string(),
  amountUnallocated: z.string().meta({ description: 'amount − amountAllocated: the prepayment to the vendor (0 when void)' }),
  journalEntryId: Uuid,
  voidEntryId: Uuid.nullable(),
  voidedAt: Timestamp.nullable(),
  allocations: z.array(BillAllocationResource),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}
export const BillPaymentResource = z.object(BillPaymentFields).meta({ id: 'BillPayment' })
export const BillPaymentSummary = BillPaymentResource.omit({ allocations: true }).meta({ id: 'BillPaymentSummary' })

const Bool = z.enum(['true', 'false']).transform(v => v === 'true')
export const BillPaymentListQuery = listQuery(['date', 'number', 'amount', 'createdAt']).extend({
  vendorId: Uuid.optional(),
  status: z.enum(BILL_PAYMENT_STATUSES).optional(),
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
  unallocated: Bool.optional().meta({ description: 'true: active payments with an unallocated rest (prepayments); false: the others' }),
})

/** What a purchase allocation can be refused for, whichever layer refuses it. */
export const BILL_ALLOCATION_REFUSALS = [
  'ALLOCATION_EXCEEDS_DUE', 'ALLOCATION_EXCEEDS_AVAILABLE', 'ALLOCATION_CURRENCY_MISMATCH', 'ALLOCATION_VENDOR_MISMATCH',
  'ALLOCATION_BILL_NOT_OPEN', 'ALLOCATION_SOURCE_NOT_OPEN', 'ALLOCATION_INVALID', 'LEDGER_PERIOD_CLOSED', 'CONTROL_ACCOUNT_INVALID', 'BALANCE_OUT_OF_RANGE',
]
const PAYMENT_REFUSALS = ['BILL_PAYMENT_INVALID', 'BILL_PAYMENT_ACCOUNT_INVALID', 'LEDGER_NO_RATE', 'AMOUNT_OUT_OF_RANGE']

const tag = 'Purchases'
export const billPaymentContracts = {
  listBillPayments: defineContract({ operationId: 'listBillPayments', method: 'get', path: '/api/v1/bill-payments', tag, audience: 'tenant', permission: 'ap:read', summary: 'Bill payments (filters: vendorId, status, from, to, unallocated; q searches number, reference and vendor name)', query: BillPaymentListQuery, response: listResponse(BillPaymentSummary) }),
  createBillPayment: defineContract({ operationId: 'createBillPayment', method: 'post', path: '/api/v1/bill-payments', tag, audience: 'tenant', permission: 'ap:pay', summary: 'Record money paid to a vendor: posts debit AP control, credit the payment account; allocates it to the bills given (the rest is a prepayment)', body: CreateBillPaymentBody, response: BillPaymentResource, successStatus: 201, idempotent: true, errors: [...PAYMENT_REFUSALS, ...BILL_ALLOCATION_REFUSALS] }),
  getBillPayment: defineContract({ operationId: 'getBillPayment', method: 'get', path: '/api/v1/bill-payments/{id}', tag, audience: 'tenant', permission: 'ap:read', summary: 'One bill payment with its allocations (released ones included)', params: IdParams, response: BillPaymentResource, errors: ['NOT_FOUND'] }),
  allocateBillPayment: defineContract({ operationId: 'createBillPaymentAllocation', method: 'post', path: '/api/v1/bill-payments/{id}/allocations', tag, audience: 'tenant', permission: 'ap:pay', summary: 'Allocate part of a payment\'s unallocated rest to a bill of the same vendor and currency', params: IdParams, body: BillAllocateBody, response: BillAllocationResource, successStatus: 201, idempotent: true, errors: BILL_ALLOCATION_REFUSALS }),
  voidBillPayment: defineContract({ operationId: 'voidBillPayment', method: 'post', path: '/api/v1/bill-payments/{id}/void', tag, audience: 'tenant', permission: 'ap:pay', summary: 'Void a payment: reverses its posting and its allocations\' FX postings (dated the latest of its and its allocations\' dates unless given) and releases its allocations', params: IdParams, body: VoidBillPaymentBody, response: BillPaymentResource, idempotent: true, errors: ['BILL_PAYMENT_NOT_ACTIVE', 'BILL_PAYMENT_INVALID', 'LEDGER_PERIOD_CLOSED', 'BALANCE_OUT_OF_RANGE', 'BANK_ENTRY_MATCHED'] }),
}
