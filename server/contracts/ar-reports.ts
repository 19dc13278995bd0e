/**
 * The customer statement (SPEC §5 `customers/{id}/statement`): its route's contract. Aged
 * receivables and the tax summary are catalog reports (server/contracts/reports.ts).
 */
import { z } from 'zod'
import { AccountingDate } from '../domain/dates'
import { REPORT_FORMATS } from '../domain/reports/catalog'
import { STATEMENT_ROW_TYPES } from '../domain/sales/statement-rows'
import { defineContract, FILE_MEDIA_TYPES, IdParams, Uuid } from './define'

export const CustomerStatementQuery = z.object({
  from: AccountingDate, to: AccountingDate,
  format: z.enum(REPORT_FORMATS).default('json'),
})

export const CustomerStatementResponse = z.object({
  customer: z.object({ id: Uuid, name: z.string(), code: z.string().nullable(), email: z.string().nullable() }),
  currency: z.string(),
  from: z.string(), to: z.string(),
  openingBalance: z.string().meta({ description: 'What the customer owed at the start of `from` (base currency; negative: in credit)' }),
  rows: z.array(z.object({
    date: z.string(),
    type: z.enum(STATEMENT_ROW_TYPES).meta({ description: 'invoice, credit_note, receipt; a void of one at its void date (`invoice_void` …); `fx_difference`: an allocation\'s realised exchange difference (`fx_difference_void` its reversal when a receipt\'s void released it)' }),
    id: Uuid.meta({ description: 'The invoice, credit note or receipt (an FX difference: the invoice it settled)' }),
    number: z.string(), reference: z.string().nullable(),
    charges: z.string(), payments: z.string(), balance: z.string(),
  })),
  closingBalance: z.string().meta({ description: 'Opening balance + charges − payments: as of `to` today, the customer\'s balance on the AR control account' }),
}).meta({ id: 'CustomerStatement' })

export const arReportContracts = {
  getCustomerStatement: defineContract({
    operationId: 'getCustomerStatement', method: 'get', path: '/api/v1/customers/{id}/statement', tag: 'Sales', audience: 'tenant', permission: 'ar:read',
    summary: 'A customer\'s statement for a range in base currency: opening balance, each invoice, credit note, receipt, void and realised FX difference with the running balance, closing balance. `format=csv|xlsx|pdf` answers the file.',
    params: IdParams, query: CustomerStatementQuery, response: CustomerStatementResponse, produces: Object.values(FILE_MEDIA_TYPES),
  }),
}
