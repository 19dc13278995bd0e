/**
 * Recurring invoices (SPEC §5 `recurring-invoices`, §6 module 5): the contracts of
 * server/domain/sales/recurring-invoices.ts. The template is the invoice body (the create
 * contract's fields) without what each occurrence sets itself: the customer (a field of the
 * schedule), the date (the occurrence's), the due date (the customer's or the settings' terms from
 * that date), the exchange rate (the rate table's on that date) and `issue` (`autoIssue`).
 */
import { z } from 'zod'
import { RECURRENCE_FREQUENCIES } from '../../shared/schedules/recurrence'
import { AccountingDate } from './ledger'
import { CreateInvoiceBody } from './sales-documents'
import { defineContract, IdParams, listQuery, listResponse, Ok, Timestamp, Uuid } from './define'

export const RECURRING_FREQUENCIES = RECURRENCE_FREQUENCIES

export const RecurringTemplate = CreateInvoiceBody.omit({ customerId: true, date: true, dueDate: true, exchangeRate: true, issue: true })
  .strict().meta({ id: 'RecurringInvoiceTemplate' })

/** The template as stored and answered (the input's blanks already made null). */
export const RecurringTemplateResource = z.object({
  currency: z.string().optional(),
  reference: z.string().nullable().optional(),
  memo: z.string().nullable().optional(),
  amountsAre: z.enum(['exclusive', 'inclusive']),
  lines: z.array(z.object({
    itemId: Uuid.nullable().optional(), description: z.string(), quantity: z.string(), unitPrice: z.string(),
    discountPercent: z.string().nullable().optional(), accountId: Uuid.nullable().optional(), taxRateId: Uuid.nullable().optional(),
  }).meta({ id: 'RecurringInvoiceTemplateLine' })),
}).meta({ id: 'RecurringInvoiceTemplateResource' })

const Fields = {
  customerId: Uuid,
  template: RecurringTemplate,
  frequency: z.enum(RECURRING_FREQUENCIES),
  /** Every `interval` weeks, months, quarters or years. */
  interval: z.number().int().min(1, 'must be at least 1').max(120, 'must be at most 120'),
  startDate: AccountingDate,
  endDate: AccountingDate.nullable().optional(),
  /** Issue each invoice as it is made (else it stays a draft). */
  autoIssue: z.boolean(),
  /** E-mail each issued invoice with its PDF to the customer (needs autoIssue). */
  autoSend: z.boolean(),
  isActive: z.boolean().optional(),
}

function checkDates(body: { startDate?: string, endDate?: string | null, autoIssue?: boolean, autoSend?: boolean }, ctx: z.RefinementCtx) {
  if (body.startDate && body.endDate && body.endDate < body.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must be on or after the start date' })
  if (body.autoSend === true && body.autoIssue === false) ctx.addIssue({ code: 'custom', path: ['autoSend'], message: 'needs autoIssue: only an issued invoice is sent' })
}

export const CreateRecurringInvoiceBody = z.object({ ...Fields, interval: Fields.interval.default(1), autoIssue: Fields.autoIssue.default(false), autoSend: Fields.autoSend.default(false) })
  .strict().superRefine(checkDates).meta({ id: 'CreateRecurringInvoice' })
/** A PATCH changes the fields given; a changed start, frequency or interval re-times the next occurrence. */
export const UpdateRecurringInvoiceBody = z.object({ ...Fields, version: z.number().int().min(1) }).partial().strict().superRefine(checkDates)
  .meta({ id: 'UpdateRecurringInvoice' })

export const RecurringInvoiceResource = z.object({
  id: Uuid,
  customerId: Uuid,
  customer: z.object({ id: Uuid, name: z.string() }),
  template: RecurringTemplateResource,
  frequency: z.enum(RECURRING_FREQUENCIES),
  interval: z.number().int(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  autoIssue: z.boolean(),
  autoSend: z.boolean(),
  isActive: z.boolean(),
  nextDate: z.string().nullable().meta({ description: 'The next occurrence the job will make (null: none left before the end date)' }),
  lastGeneratedDate: z.string().nullable(),
  lastError: z.string().nullable().meta({ description: 'Why the last invoice made could not be issued or sent, if it could not' }),
  invoicesMade: z.number().int(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'RecurringInvoice' })

export const RecurringInvoiceListQuery = listQuery(['nextDate', 'startDate', 'createdAt']).extend({
  customerId: Uuid.optional(),
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

const tag = 'Sales'
const REFUSALS = ['SALES_DOCUMENT_INVALID', 'SALES_ACCOUNT_INVALID', 'TAX_RATE_INVALID', 'TAX_RATE_INACTIVE']
export const recurringInvoiceContracts = {
  list: defineContract({ operationId: 'listRecurringInvoices', method: 'get', path: '/api/v1/recurring-invoices', tag, audience: 'tenant', permission: 'ar:read', summary: 'Recurring invoices (q searches the customer name; filters: customerId, active)', query: RecurringInvoiceListQuery, response: listResponse(RecurringInvoiceResource) }),
  create: defineContract({ operationId: 'createRecurringInvoice', method: 'post', path: '/api/v1/recurring-invoices', tag, audience: 'tenant', permission: 'ar:write', summary: 'Create a recurring invoice: the worker makes an invoice from the template at each occurrence (issued with autoIssue, e-mailed with autoSend)', body: CreateRecurringInvoiceBody, response: RecurringInvoiceResource, successStatus: 201, idempotent: true, errors: REFUSALS }),
  get: defineContract({ operationId: 'getRecurringInvoice', method: 'get', path: '/api/v1/recurring-invoices/{id}', tag, audience: 'tenant', permission: 'ar:read', summary: 'One recurring invoice', params: IdParams, response: RecurringInvoiceResource }),
  update: defineContract({ operationId: 'updateRecurringInvoice', method: 'patch', path: '/api/v1/recurring-invoices/{id}', tag, audience: 'tenant', permission: 'ar:write', summary: 'Change a recurring invoice (invoices already made stay as they are)', params: IdParams, body: UpdateRecurringInvoiceBody, response: RecurringInvoiceResource, errors: [...REFUSALS, 'STALE_VERSION'] }),
  delete: defineContract({ operationId: 'deleteRecurringInvoice', method: 'delete', path: '/api/v1/recurring-invoices/{id}', tag, audience: 'tenant', permission: 'ar:write', summary: 'Delete a recurring invoice (the invoices it made stay)', params: IdParams, response: Ok }),
}
