import { z } from 'zod'
import { AccountingDate } from '../domain/dates'
import { ACCOUNT_TYPES, SUBTYPES } from '../domain/ledger/chart'
import { SOURCE_TYPES } from '../domain/ledger/sources'
import { isCurrency } from '../domain/money'
import { AMOUNT_MESSAGES, AMOUNT_PATTERN, amountProblem } from '../domain/amount-rules'
import { defineContract, IdParams, type InputPermission, listQuery, listResponse, Timestamp, Uuid } from './define'

/** A decimal string greater than zero (any non-zero digit), decided without floating point. */
const isPositive = (value: string | undefined) => !!value && /[1-9]/.test(value)

export { ACCOUNTING_DATE_RANGE, AccountingDate } from '../domain/dates'
/**
 * Money on the wire: a non-negative decimal string, at most 15 digits before the point and 4 after;
 * refused in the words the pages use too (server/domain/amount-rules.ts).
 */
export const Amount = z.string().regex(AMOUNT_PATTERN, { error: issue => amountProblem(issue.input) ?? AMOUNT_MESSAGES.notAnAmount })
/** The one currency list (server/domain/money.ts) for tenants, accounts, rates and entries alike. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine(isCurrency, 'is not a currency this ledger keeps (see the ISO 4217 list in the API reference)')
export const Rate = z.string().regex(/^\d{1,13}(\.\d{1,10})?$/, 'must be a positive decimal string').refine(isPositive, 'must be greater than zero')

const AccountFields = {
  code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$/, 'must be 1–20 letters, digits, dots or hyphens'),
  name: z.string().trim().min(1, 'is required').max(120),
  type: z.enum(ACCOUNT_TYPES),
  subtype: z.enum(SUBTYPES as [string, ...string[]]).optional(),
  parentId: Uuid.nullable().optional(),
  currency: Currency.nullable().optional(),
  isActive: z.boolean().optional(),
  description: z.string().max(500).nullable().optional(),
}
export const CreateAccountBody = z.object(AccountFields).strict().meta({ id: 'CreateAccount' })
export const UpdateAccountBody = z.object({ ...AccountFields, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateAccount' })
export const AccountResource = z.object({
  id: Uuid, code: z.string(), name: z.string(), type: z.enum(ACCOUNT_TYPES), subtype: z.string(), isContra: z.boolean(),
  normalBalance: z.enum(['debit', 'credit']), parentId: Uuid.nullable(), currency: z.string().nullable(), isActive: z.boolean(),
  systemKey: z.string().nullable(), isControl: z.boolean().meta({ description: 'The AR or AP control account named in the settings (read-only here; change it in the settings): manual journal lines on it are refused, 422 LEDGER_CONTROL_ACCOUNT' }), description: z.string().nullable(), isParent: z.boolean(), hasPostings: z.boolean(),
  balance: z.string(), version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'Account' })
export const AccountListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  type: z.enum(ACCOUNT_TYPES).optional(),
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

const LineBody = z.object({
  accountId: Uuid.optional(),
  accountCode: z.string().trim().min(1).max(20).optional(),
  debit: Amount.optional(),
  credit: Amount.optional(),
  description: z.string().max(500).optional(),
}).strict().superRefine((l, ctx) => {
  if (!!l.accountId === !!l.accountCode) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'give exactly one of accountId and accountCode' })
  const d = isPositive(l.debit)
  const c = isPositive(l.credit)
  if (d === c) ctx.addIssue({ code: 'custom', path: [d ? 'credit' : 'debit'], message: d ? 'a line has one side: debit or credit, not both' : 'a line needs a debit or a credit greater than zero' })
})

export const EntryBody = z.object({
  date: AccountingDate,
  memo: z.string().trim().min(1, 'is required').max(500),
  reference: z.string().trim().max(100).nullable().optional(),
  currency: Currency.optional(),
  exchangeRate: Rate.optional(),
  lines: z.array(LineBody).min(2, 'an entry needs at least two lines').max(500),
})
export const CreateEntryBody = EntryBody.extend({ post: z.boolean().optional() }).strict().meta({ id: 'CreateJournalEntry' })
export const UpdateEntryBody = EntryBody.extend({ version: z.number().int().min(1).optional() }).strict().meta({ id: 'UpdateJournalEntry' })
export const ReverseBody = z.object({ date: AccountingDate.optional() }).strict().meta({ id: 'ReverseJournalEntry' })

const EntryLineResource = z.object({
  id: Uuid, lineNo: z.number().int(), accountId: Uuid, accountCode: z.string(), accountName: z.string(), description: z.string().nullable(),
  debit: z.string(), credit: z.string(), baseDebit: z.string(), baseCredit: z.string(), isRounding: z.boolean(),
  /** Signed (debit positive), in the account's own fixed currency, on a line whose account takes another currency than the entry's (a transfer between two foreign currencies); else null. */
  accountAmount: z.string().nullable(),
  /** The currency of `accountAmount` (the account's own), with it; else null. */
  accountCurrency: z.string().nullable(),
}).meta({ id: 'JournalEntryLine' })
/** The document an entry came from; null for a manual entry (its own document). */
export const EntrySource = z.object({ type: z.enum(SOURCE_TYPES), id: Uuid }).meta({ id: 'JournalEntrySource' })
export const EntryResource = z.object({
  id: Uuid, number: z.number().int().nullable(), date: z.string(), memo: z.string(), reference: z.string().nullable(), currency: z.string(),
  exchangeRate: z.string(), status: z.enum(['draft', 'posted']), kind: z.string(), reversalOfId: Uuid.nullable(), reversedById: Uuid.nullable(),
  source: EntrySource.nullable(), postedAt: Timestamp.nullable(), version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
  totals: z.object({ debit: z.string(), credit: z.string(), baseDebit: z.string(), baseCredit: z.string() }),
  lines: z.array(EntryLineResource),
}).meta({ id: 'JournalEntry' })
export const EntryListQuery = listQuery(['date', 'number', 'createdAt']).extend({
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
  status: z.enum(['draft', 'posted']).optional(),
  accountId: Uuid.optional(),
  sourceType: z.enum(SOURCE_TYPES).optional(),
  sourceId: Uuid.optional(),
})
const EntrySummary = EntryResource.pick({ id: true, number: true, date: true, memo: true, reference: true, currency: true, status: true, kind: true, reversalOfId: true, reversedById: true, source: true, createdAt: true, version: true }).extend({ total: z.string() }).meta({ id: 'JournalEntrySummary' })

export const PeriodResource = z.object({
  id: Uuid, fiscalYearId: Uuid, number: z.number().int(), startDate: z.string(), endDate: z.string(), status: z.enum(['open', 'closed']),
  closedAt: Timestamp.nullable(), fiscalYearStart: z.string(), fiscalYearEnd: z.string(),
}).meta({ id: 'FiscalPeriod' })
export const PeriodListQuery = z.object({ fiscalYearId: Uuid.optional() })
export const ReopenBody = z.object({ reason: z.string().trim().max(500).optional() }).strict().meta({ id: 'ReopenFiscalPeriod' })

export const RateBody = z.object({ currency: Currency, date: AccountingDate, rate: Rate }).strict().meta({ id: 'CreateExchangeRate' })
export const RateResource = z.object({ id: Uuid, currency: z.string(), date: z.string(), rate: z.string(), createdAt: Timestamp }).meta({ id: 'ExchangeRate' })

/** Creating an entry with `post: true` posts it too, which takes `ledger:post` besides `ledger:write`. */
const POST_ON_CREATE: InputPermission = { permission: 'ledger:post', when: 'with `post: true`', applies: ({ body }) => (body as z.output<typeof CreateEntryBody>).post === true }

const ENTRY_ERRORS = ['LEDGER_UNBALANCED', 'LEDGER_ACCOUNT_INACTIVE', 'LEDGER_PARENT_ACCOUNT', 'LEDGER_CONTROL_ACCOUNT', 'LEDGER_CURRENCY_MISMATCH', 'LEDGER_PERIOD_CLOSED', 'LEDGER_NO_RATE', 'LEDGER_ALREADY_POSTED', 'AMOUNT_OUT_OF_RANGE', 'BALANCE_OUT_OF_RANGE']

export const ledgerContracts = {
  listAccounts: defineContract({ operationId: 'listAccounts', method: 'get', path: '/api/v1/accounts', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'Chart of accounts with balances and parent totals', query: AccountListQuery, response: z.object({ data: z.array(AccountResource) }) }),
  createAccount: defineContract({ operationId: 'createAccount', method: 'post', path: '/api/v1/accounts', tag: 'Ledger', audience: 'tenant', permission: 'ledger:write', summary: 'Create an account', body: CreateAccountBody, response: AccountResource, successStatus: 201, idempotent: true, errors: ['ACCOUNT_CODE_TAKEN', 'INVALID_SUBTYPE', 'LEDGER_PARENT_HAS_POSTINGS', 'LEDGER_CONTROL_ACCOUNT'] }),
  getAccount: defineContract({ operationId: 'getAccount', method: 'get', path: '/api/v1/accounts/{id}', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'One account', params: IdParams, response: AccountResource }),
  updateAccount: defineContract({ operationId: 'updateAccount', method: 'patch', path: '/api/v1/accounts/{id}', tag: 'Ledger', audience: 'tenant', permission: 'ledger:write', summary: 'Rename, reclassify, move or deactivate an account', params: IdParams, body: UpdateAccountBody, response: AccountResource, errors: ['LEDGER_ACCOUNT_HAS_POSTINGS', 'LEDGER_ACCOUNT_NOT_ZERO', 'LEDGER_SYSTEM_ACCOUNT', 'LEDGER_CONTROL_ACCOUNT', 'STALE_VERSION'] }),
  listEntries: defineContract({ operationId: 'listJournalEntries', method: 'get', path: '/api/v1/journal-entries', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'Journal entries (filters: from, to, status, accountId, sourceType, sourceId, q)', query: EntryListQuery, response: listResponse(EntrySummary) }),
  createEntry: defineContract({ operationId: 'createJournalEntry', method: 'post', path: '/api/v1/journal-entries', tag: 'Ledger', audience: 'tenant', permission: 'ledger:write', alsoRequires: [POST_ON_CREATE], summary: 'Create a draft entry, or create and post it with `post: true`', body: CreateEntryBody, response: EntryResource, successStatus: 201, idempotent: true, errors: ENTRY_ERRORS }),
  getEntry: defineContract({ operationId: 'getJournalEntry', method: 'get', path: '/api/v1/journal-entries/{id}', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'One entry with its lines', params: IdParams, response: EntryResource }),
  updateEntry: defineContract({ operationId: 'updateJournalEntry', method: 'patch', path: '/api/v1/journal-entries/{id}', tag: 'Ledger', audience: 'tenant', permission: 'ledger:write', summary: 'Replace a draft entry', params: IdParams, body: UpdateEntryBody, response: EntryResource, errors: [...ENTRY_ERRORS, 'STALE_VERSION'] }),
  deleteEntry: defineContract({ operationId: 'deleteJournalEntry', method: 'delete', path: '/api/v1/journal-entries/{id}', tag: 'Ledger', audience: 'tenant', permission: 'ledger:write', summary: 'Delete a draft entry', params: IdParams, response: z.object({ ok: z.literal(true) }), errors: ['LEDGER_ALREADY_POSTED'] }),
  postEntry: defineContract({ operationId: 'postJournalEntry', method: 'post', path: '/api/v1/journal-entries/{id}/post', tag: 'Ledger', audience: 'tenant', permission: 'ledger:post', summary: 'Post a draft: it gets the next number of its fiscal year', params: IdParams, response: EntryResource, idempotent: true, errors: ['LEDGER_ALREADY_POSTED', 'LEDGER_PERIOD_CLOSED', 'BALANCE_OUT_OF_RANGE'] }),
  reverseEntry: defineContract({ operationId: 'reverseJournalEntry', method: 'post', path: '/api/v1/journal-entries/{id}/reverse', tag: 'Ledger', audience: 'tenant', permission: 'ledger:post', summary: 'Reverse a posted entry (date defaults to the original\'s); 409 when already reversed', params: IdParams, body: ReverseBody, response: EntryResource, successStatus: 201, idempotent: true, errors: ['LEDGER_NOT_POSTED', 'LEDGER_ALREADY_REVERSED', 'LEDGER_PERIOD_CLOSED', 'LEDGER_LINE_RECONCILED', 'BALANCE_OUT_OF_RANGE', 'BANK_ENTRY_MATCHED'] }),
  listPeriods: defineContract({ operationId: 'listFiscalPeriods', method: 'get', path: '/api/v1/fiscal-periods', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'Fiscal periods', query: PeriodListQuery, response: z.object({ data: z.array(PeriodResource) }) }),
  closePeriod: defineContract({ operationId: 'closeFiscalPeriod', method: 'post', path: '/api/v1/fiscal-periods/{id}/close', tag: 'Ledger', audience: 'tenant', permission: 'ledger:close', summary: 'Close a period (in order; no drafts dated in it)', params: IdParams, response: PeriodResource, errors: ['PERIOD_CLOSE_ORDER', 'PERIOD_HAS_DRAFTS', 'PERIOD_ALREADY_CLOSED'] }),
  reopenPeriod: defineContract({ operationId: 'reopenFiscalPeriod', method: 'post', path: '/api/v1/fiscal-periods/{id}/reopen', tag: 'Ledger', audience: 'tenant', permission: 'ledger:close', summary: 'Reopen a closed period (latest first), with an optional reason', params: IdParams, body: ReopenBody, response: PeriodResource, errors: ['PERIOD_REOPEN_ORDER', 'PERIOD_ALREADY_OPEN'] }),
  listRates: defineContract({ operationId: 'listExchangeRates', method: 'get', path: '/api/v1/exchange-rates', tag: 'Ledger', audience: 'tenant', permission: 'ledger:read', summary: 'Exchange rates (base units per foreign unit)', query: z.object({ currency: Currency.optional() }), response: z.object({ data: z.array(RateResource) }) }),
  createRate: defineContract({ operationId: 'createExchangeRate', method: 'post', path: '/api/v1/exchange-rates', tag: 'Ledger', audience: 'tenant', permission: 'ledger:write', summary: 'Add an exchange rate for a currency and date', body: RateBody, response: RateResource, successStatus: 201, idempotent: true, errors: ['RATE_EXISTS'] }),
}
