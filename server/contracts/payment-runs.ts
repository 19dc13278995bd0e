/**
 * Payment runs (SPEC §5 `payment-runs`, §6 module 6; issue 13 point 4): the contracts of
 * server/domain/purchases/payment-runs.ts, shared by the routes, the pages and the OpenAPI document.
 */
import { z } from 'zod'
import { AccountingDate } from './ledger'
import { defineContract, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const PAYMENT_RUN_STATUSES = ['prepared', 'approved', 'cancelled'] as const
export const PAYMENT_RUN_EXCLUSIONS = ['no_account', 'invalid_iban', 'invalid_account_number', 'invalid_bic'] as const
export const PAYMENT_RUN_FORMATS = ['pain001', 'csv'] as const

export const CreatePaymentRunBody = z.object({
  date: AccountingDate.meta({ description: 'The payments\' date and the bank file\'s requested execution date' }),
  paymentAccountId: Uuid.meta({ description: 'The cash or bank account paying (its currency, if it has one, limits the bills)' }),
  billIds: z.array(Uuid).min(1, 'name at least one bill').max(500, 'at most 500 bills').optional()
    .refine(ids => !ids || new Set(ids).size === ids.length, 'names a bill twice')
    .meta({ description: 'The bills to pay (posted, owing, dated on or before the run, in no other prepared run)' }),
  dueOnOrBefore: AccountingDate.optional().meta({ description: 'Instead of billIds: every payable bill due on or before this date' }),
}).strict().refine(b => (b.billIds === undefined) !== (b.dueOnOrBefore === undefined), { message: 'give either billIds or dueOnOrBefore', path: ['billIds'] })
  .meta({ id: 'CreatePaymentRun' })

const Person = z.object({ id: Uuid, name: z.string() })
const Money = z.string().meta({ examples: ['1250.00'] })

export const PaymentRunItemResource = z.object({
  billId: Uuid, billNumber: z.string().nullable(), vendorReference: z.string().nullable(), date: z.string(), dueDate: z.string(), billTotal: Money,
  vendor: z.object({ id: Uuid, name: z.string() }), currency: z.string(),
  amount: Money.meta({ description: 'What the run pays: the bill\'s open amount when prepared, in its currency' }),
  excludedReason: z.enum(PAYMENT_RUN_EXCLUSIONS).nullable().meta({ description: 'Why the bill is left out: its vendor has no usable bank details (no payment is made for it)' }),
  paymentId: Uuid.nullable().meta({ description: 'The bill payment that paid it, after approval' }),
}).meta({ id: 'PaymentRunItem' })

const PaymentRunFields = {
  id: Uuid,
  number: z.string().meta({ description: 'Gapless (`PR-000001`), given when prepared' }),
  status: z.enum(PAYMENT_RUN_STATUSES),
  date: z.string(),
  dueOnOrBefore: z.string().nullable(),
  paymentAccount: z.object({ id: Uuid, code: z.string(), name: z.string(), currency: z.string().nullable() }),
  preparedBy: Person,
  preparedAt: Timestamp,
  approvedBy: Person.nullable(),
  approvedAt: Timestamp.nullable(),
  cancelledBy: Person.nullable(),
  cancelledAt: Timestamp.nullable(),
  totals: z.array(z.object({ currency: z.string(), payments: z.number().int(), amount: Money })).meta({ description: 'Per currency: the payments the run makes (vendors left out not counted)' }),
  vendors: z.array(z.object({
    vendor: z.object({ id: Uuid, name: z.string() }), currency: z.string(), bills: z.number().int(), amount: Money,
    excludedReason: z.enum(PAYMENT_RUN_EXCLUSIONS).nullable(), paymentId: Uuid.nullable(),
  })).meta({ description: 'One line per vendor and currency: one payment each' }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}
export const PaymentRunResource = z.object({
  ...PaymentRunFields,
  items: z.array(PaymentRunItemResource),
  files: z.array(z.object({ format: z.enum(PAYMENT_RUN_FORMATS), fileName: z.string(), mediaType: z.string(), sha256: z.string(), size: z.number().int() }))
    .meta({ description: 'The bank files made at approval (empty before)' }),
}).meta({ id: 'PaymentRun' })
export const PaymentRunSummary = z.object(PaymentRunFields).meta({ id: 'PaymentRunSummary' })

export const PaymentRunListQuery = listQuery(['date', 'number', 'createdAt']).extend({ status: z.enum(PAYMENT_RUN_STATUSES).optional() })
export const PayableBillsQuery = z.object({ dueOnOrBefore: AccountingDate.optional() })
export const PayableBillResource = z.object({
  id: Uuid, number: z.string(), vendorReference: z.string().nullable(), vendor: z.object({ id: Uuid, name: z.string() }), date: z.string(), dueDate: z.string(),
  currency: z.string(), total: Money, amountDue: Money, vendorHasBankAccount: z.boolean(),
}).meta({ id: 'PayableBill' })
export const PaymentRunFileQuery = z.object({ format: z.enum(PAYMENT_RUN_FORMATS).default('pain001') })

const tag = 'Purchases'
export const paymentRunContracts = {
  listPaymentRuns: defineContract({ operationId: 'listPaymentRuns', method: 'get', path: '/api/v1/payment-runs', tag, audience: 'tenant', permission: 'ap:read', summary: 'Payment runs (filter: status), newest first', query: PaymentRunListQuery, response: listResponse(PaymentRunSummary) }),
  listPayableBills: defineContract({ operationId: 'listPayableBills', method: 'get', path: '/api/v1/payment-runs/payable-bills', tag, audience: 'tenant', permission: 'ap:read', summary: 'The bills a run may pay now (posted, owing, in no prepared run), due on or before a date when given; whether each vendor has confirmed bank details', query: PayableBillsQuery, response: z.object({ data: z.array(PayableBillResource) }) }),
  createPaymentRun: defineContract({ operationId: 'createPaymentRun', method: 'post', path: '/api/v1/payment-runs', tag, audience: 'tenant', permission: 'ap:write', summary: 'Prepare a payment run of the bills named, or of every payable bill due on or before a date; nothing posts until another person with ap:pay approves it', body: CreatePaymentRunBody, response: PaymentRunResource, successStatus: 201, idempotent: true, errors: ['PAYMENT_RUN_ACCOUNT_INVALID', 'PAYMENT_RUN_BILL_NOT_PAYABLE', 'PAYMENT_RUN_BILL_IN_RUN', 'PAYMENT_RUN_EMPTY', 'LEDGER_PERIOD_CLOSED'] }),
  getPaymentRun: defineContract({ operationId: 'getPaymentRun', method: 'get', path: '/api/v1/payment-runs/{id}', tag, audience: 'tenant', permission: 'ap:read', summary: 'A payment run with its bills, per-vendor totals and files', params: IdParams, response: PaymentRunResource, errors: ['NOT_FOUND'] }),
  approvePaymentRun: defineContract({ operationId: 'approvePaymentRun', method: 'post', path: '/api/v1/payment-runs/{id}/approve', tag, audience: 'tenant', permission: 'ap:pay', summary: 'Approve a prepared run (not its preparer): one bill payment per vendor and currency in one transaction, the pain.001 and CSV files stored; vendors without usable bank details left out', params: IdParams, response: PaymentRunResource, idempotent: true, errors: ['NOT_FOUND', 'SOD_SELF_APPROVAL', 'PAYMENT_RUN_NOT_PREPARED', 'PAYMENT_RUN_STALE', 'PAYMENT_RUN_EMPTY', 'PAYMENT_RUN_FILE_INVALID', 'PAYMENT_RUN_ACCOUNT_INVALID', 'LEDGER_PERIOD_CLOSED', 'LEDGER_NO_RATE'] }),
  cancelPaymentRun: defineContract({ operationId: 'cancelPaymentRun', method: 'post', path: '/api/v1/payment-runs/{id}/cancel', tag, audience: 'tenant', permission: 'ap:write', summary: 'Cancel a prepared run: its bills are free for another run; nothing was posted', params: IdParams, response: PaymentRunResource, errors: ['NOT_FOUND', 'PAYMENT_RUN_NOT_PREPARED'] }),
  getPaymentRunFile: defineContract({ operationId: 'getPaymentRunFile', method: 'get', path: '/api/v1/payment-runs/{id}/file', tag, audience: 'tenant', permission: 'ap:pay', summary: 'The bank file of an approved run as stored at approval: `format=pain001` (ISO 20022 pain.001.001.03) or `csv`; every download audited with its SHA-256', params: IdParams, query: PaymentRunFileQuery, produces: ['application/xml', 'text/csv'], errors: ['NOT_FOUND', 'PAYMENT_RUN_NOT_APPROVED'] }),
}
