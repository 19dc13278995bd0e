/**
 * The customer and vendor statements (SPEC §5 `customers/{id}/statement`, `vendors/{id}/statement`):
 * their routes' contracts, one shape for both sides. Aged receivables and payables and the tax
 * summary are catalog reports (server/contracts/reports.ts).
 */
import { z } from 'zod'
import { AccountingDate } from '../domain/dates'
import { REPORT_FORMATS } from '../domain/reports/catalog'
import { STATEMENT_ROW_TYPES, VENDOR_STATEMENT_ROW_TYPES } from '../domain/sales/statement-rows'
import { defineContract, FILE_MEDIA_TYPES, IdParams, Uuid } from './define'

export const StatementQuery = z.object({
  from: AccountingDate, to: AccountingDate,
  format: z.enum(REPORT_FORMATS).default('json'),
})

const Party = z.object({ id: Uuid, name: z.string(), code: z.string().nullable(), email: z.string().nullable() })

/** A statement's answer: the party under `party`, its movements of `types`. */
function statementResponse<const P extends string, const T extends readonly [string, ...string[]]>(id: string, party: P, types: T, words: { owed: string, types: string, row: string, control: string }) {
  return z.object({
    ...({ [party]: Party } as Record<P, typeof Party>),
    currency: z.string(),
    from: z.string(), to: z.string(),
    openingBalance: z.string().meta({ description: `${words.owed} at the start of \`from\` (base currency; negative: in credit)` }),
    rows: z.array(z.object({
      date: z.string(),
      type: z.enum(types).meta({ description: words.types }),
      id: Uuid.meta({ description: words.row }),
      number: z.string(), reference: z.string().nullable(),
      charges: z.string(), payments: z.string(), balance: z.string(),
    })),
    closingBalance: z.string().meta({ description: `Opening balance + charges − payments: as of \`to\` today, the ${party}'s balance on the ${words.control} control account` }),
  }).meta({ id })
}

export const CustomerStatementResponse = statementResponse('CustomerStatement', 'customer', STATEMENT_ROW_TYPES, {
  owed: 'What the customer owed',
  types: 'invoice, credit_note, receipt; a void of one at its void date (`invoice_void` …); `fx_difference`: an allocation\'s realised exchange difference (`fx_difference_void` its reversal when a receipt\'s void released it)',
  row: 'The invoice, credit note or receipt (an FX difference: the invoice it settled)',
  control: 'AR',
})
export const VendorStatementResponse = statementResponse('VendorStatement', 'vendor', VENDOR_STATEMENT_ROW_TYPES, {
  owed: 'What the organisation owed the vendor',
  types: 'bill, vendor_credit, bill_payment; a void of one at its void date (`bill_void` …); `fx_difference`: an allocation\'s realised exchange difference (`fx_difference_void` its reversal when a payment\'s void released it)',
  row: 'The bill, vendor credit or payment (an FX difference: the bill it settled)',
  control: 'AP',
})

export const subledgerReportContracts = {
  getCustomerStatement: defineContract({
    operationId: 'getCustomerStatement', method: 'get', path: '/api/v1/customers/{id}/statement', tag: 'Sales', audience: 'tenant', permission: 'ar:read',
    summary: 'A customer\'s statement for a range in base currency: opening balance, each invoice, credit note, receipt, void and realised FX difference with the running balance, closing balance. `format=csv|xlsx|pdf` answers the file.',
    params: IdParams, query: StatementQuery, response: CustomerStatementResponse, produces: Object.values(FILE_MEDIA_TYPES),
  }),
  getVendorStatement: defineContract({
    operationId: 'getVendorStatement', method: 'get', path: '/api/v1/vendors/{id}/statement', tag: 'Purchases', audience: 'tenant', permission: 'ap:read',
    summary: 'A vendor\'s statement for a range in base currency: opening balance, each bill, vendor credit, payment, void and realised FX difference with the running balance (what is owed), closing balance. `format=csv|xlsx|pdf` answers the file.',
    params: IdParams, query: StatementQuery, response: VendorStatementResponse, produces: Object.values(FILE_MEDIA_TYPES),
  }),
}
