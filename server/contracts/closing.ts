import { z } from 'zod'
import { defineContract, IdParams, Uuid } from './define'
import { AccountingDate, EntryResource } from './ledger'

export const FiscalYearResource = z.object({
  id: Uuid, startDate: z.string(), endDate: z.string(), status: z.enum(['open', 'closed']), closingEntryId: Uuid.nullable(),
  openPeriods: z.number().int(), closedPeriods: z.number().int(),
}).meta({ id: 'FiscalYear' })
export const RevaluationBody = z.object({ date: AccountingDate }).strict().meta({ id: 'RevaluationRequest' })
export const RevaluationResource = z.object({
  date: z.string(),
  accounts: z.array(z.object({
    accountId: Uuid, code: z.string(), currency: z.string(), foreignBalance: z.string(), rate: z.string().nullable(),
    revaluedBalance: z.string(), bookBalance: z.string(), difference: z.string(),
  })),
  entry: EntryResource.nullable(),
  reversal: EntryResource.nullable(),
}).meta({ id: 'Revaluation' })

export const closingContracts = {
  listFiscalYears: defineContract({ operationId: 'listFiscalYears', method: 'get', path: '/api/v1/fiscal-years', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'Fiscal years with their status and period counts', response: z.object({ data: z.array(FiscalYearResource) }) }),
  closeFiscalYear: defineContract({ operationId: 'closeFiscalYear', method: 'post', path: '/api/v1/fiscal-years/{id}/close', tag: 'Ledger', audience: 'tenant', permission: 'ledger:close', summary: 'Year-end close: with periods 1–11 closed, post the closing entry to retained earnings into period 12, close it and the year', params: IdParams, response: FiscalYearResource.extend({ closingEntry: EntryResource.nullable() }).meta({ id: 'ClosedFiscalYear' }), idempotent: true, errors: ['FISCAL_YEAR_CLOSED', 'FISCAL_YEAR_PERIODS_OPEN', 'FISCAL_YEAR_LAST_PERIOD_CLOSED', 'PERIOD_HAS_DRAFTS'] }),
  revalue: defineContract({ operationId: 'revalueForeignCurrencies', method: 'post', path: '/api/v1/revaluations', tag: 'Ledger', audience: 'tenant', permission: 'ledger:post', summary: 'Month-end unrealised FX revaluation of foreign-currency asset and liability accounts, reversed on the 1st of the next month; `entry: null` when nothing needs revaluing', body: RevaluationBody, response: RevaluationResource, idempotent: true, errors: ['LEDGER_NO_RATE', 'LEDGER_PERIOD_CLOSED'] }),
}
