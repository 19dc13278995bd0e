/**
 * Cash and bank (SPEC §5 `bank-accounts`, `bank-accounts/{id}/imports`, `bank-transactions`; issue 14
 * points 1 and 2): the contracts of server/domain/bank/accounts.ts and imports.ts. An account number
 * goes in whole and only ever comes out masked.
 */
import { z } from 'zod'
import { BANK_ACCOUNT_MESSAGES, isValidAccountNumber, isValidIban, normaliseAccountNumber } from '../../shared/purchases/bank-account'
import { AccountingDate, Currency } from './ledger'
import { defineContract, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'
import { Name } from './sales'

/** An IBAN (checked when it looks like one: two letters, two digits) or a local account number. */
export const BankAccountNumber = z.string().trim().max(42)
  .superRefine((v, ctx) => {
    const ibanLike = /^[A-Z]{2}\d{2}/i.test(normaliseAccountNumber(v))
    if (ibanLike ? !isValidIban(v) : !isValidAccountNumber(v)) ctx.addIssue({ code: 'custom', message: ibanLike ? BANK_ACCOUNT_MESSAGES.iban : BANK_ACCOUNT_MESSAGES.accountNumber })
  })
  .transform(normaliseAccountNumber)
  .meta({ description: 'An IBAN (check digits verified) or a local account number; stored encrypted, answered masked', examples: ['DE89 3704 0044 0532 0130 00'] })

/** Money that may be negative (an overdrawn account's opening balance). */
export const SignedAmount = z.string().trim().regex(/^-?\d{1,15}(\.\d{1,4})?$/, 'must be a decimal string such as "1250.00" or "-80.00" (at most 4 decimals)')

const ColumnRef = z.union([z.string().trim().min(1).max(120), z.number().int().min(1).max(500)])
  .meta({ description: 'A header name, or a 1-based column number (the only way without a header row)' })

export const CsvMappingBody = z.object({
  hasHeader: z.boolean().optional().meta({ description: 'Default true' }),
  skipRows: z.number().int().min(0).max(100).optional().meta({ description: 'Lines before the header (or the first row)' }),
  delimiter: z.enum([',', ';', '\t', '|']).optional().meta({ description: 'Detected when left out' }),
  date: ColumnRef,
  amount: ColumnRef.optional().meta({ description: 'One signed column (money in positive); or debit and credit' }),
  debit: ColumnRef.optional().meta({ description: 'Money out' }),
  credit: ColumnRef.optional().meta({ description: 'Money in' }),
  description: ColumnRef,
  reference: ColumnRef.optional(),
  dateFormat: z.string().trim().min(4).max(20).meta({ examples: ['DD.MM.YYYY'] }),
  decimalSeparator: z.enum(['.', ',']),
  thousandsSeparator: z.enum(['', ',', '.', ' ', '\'']).nullable().optional(),
}).strict().superRefine((m, ctx) => {
  if (m.amount === undefined && m.debit === undefined && m.credit === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give an amount column, or debit and credit columns' })
  if (m.amount !== undefined && (m.debit !== undefined || m.credit !== undefined)) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give an amount column or debit and credit columns, not both' })
}).meta({ id: 'BankCsvMapping' })

const BankAccountFields = {
  name: Name,
  accountId: Uuid.meta({ description: 'The GL account: an asset of subtype cash or bank, without sub-accounts; one bank account per GL account' }),
  currency: Currency.optional().meta({ description: 'Default: the GL account\'s currency, else the base currency' }),
  accountNumber: BankAccountNumber.nullable().optional(),
  openingBalance: SignedAmount.optional().meta({ description: 'The balance on the statement at openingBalanceDate (negative: overdrawn); posted against opening-balance equity when the GL account has no postings yet' }),
  openingBalanceDate: AccountingDate.optional(),
  openingBalanceAccountId: Uuid.optional().meta({ description: 'The equity account the opening balance is posted against; default the equity account coded 3100 (the standard chart\'s opening-balance equity)' }),
  isActive: z.boolean().optional(),
}
const openingTogether = (b: { openingBalance?: string, openingBalanceDate?: string }, ctx: z.RefinementCtx) => {
  if ((b.openingBalance === undefined) !== (b.openingBalanceDate === undefined)) {
    ctx.addIssue({ code: 'custom', path: [b.openingBalance === undefined ? 'openingBalance' : 'openingBalanceDate'], message: 'give the opening balance and its date together' })
  }
}
export const CreateBankAccountBody = z.object(BankAccountFields).strict().superRefine(openingTogether).meta({ id: 'CreateBankAccount' })
export const UpdateBankAccountBody = z.object({ ...BankAccountFields, version: z.number().int().min(1) }).partial().strict().superRefine(openingTogether).meta({ id: 'UpdateBankAccount' })

export const BankAccountResource = z.object({
  id: Uuid,
  name: z.string(),
  accountId: Uuid,
  accountCode: z.string(),
  accountName: z.string(),
  currency: z.string(),
  accountNumberMasked: z.string().nullable().meta({ description: 'e.g. `DE89 **** **** 3000`' }),
  openingBalance: z.string().nullable(),
  openingBalanceDate: z.string().nullable(),
  openingEntryId: Uuid.nullable().meta({ description: 'The entry that posted the opening balance; null when none was posted (no balance given, or the GL account had postings already)' }),
  csvMapping: CsvMappingBody.nullable().meta({ description: 'The CSV mapping saved with an import (saveMapping), used when an import gives none' }),
  isActive: z.boolean(),
  glBalance: z.string().meta({ description: 'The GL account\'s posted balance in the bank account\'s currency' }),
  bankBalance: z.string().meta({ description: 'The opening balance plus every imported line: the bank\'s balance as far as its statements are imported' }),
  statementBalance: z.string().nullable().meta({ description: 'The latest closing balance an imported statement gave (null: none gave one)' }),
  statementBalanceDate: z.string().nullable(),
  unmatchedCount: z.number().int(),
  lastImportAt: Timestamp.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'BankAccountResource' })

export const BankAccountListQuery = listQuery(['name', 'createdAt']).extend({
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

export const BANK_FORMATS = ['csv', 'ofx', 'camt053'] as const
/** Lines one request imports; a file that may hold more is imported by the worker (202 with the job). */
export const BANK_IMPORT_MAX_LINES = 5000
/** The import routes take bodies up to 20 MiB (JSON `content` or a multipart `file`). */
export const BANK_IMPORT_MAX_BYTES = 20 * 1024 * 1024

export const BankImportBody = z.object({
  format: z.enum(BANK_FORMATS),
  content: z.string().min(1, 'is empty').meta({ description: 'The file\'s text (UTF-8)' }),
  fileName: z.string().trim().max(200).optional(),
  mapping: CsvMappingBody.optional().meta({ description: 'CSV only; default the bank account\'s saved mapping' }),
  saveMapping: z.boolean().optional().meta({ description: 'Save `mapping` on the bank account for the next imports' }),
}).strict().superRefine((b, ctx) => {
  if (b.format !== 'csv' && b.mapping) ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'is for CSV files only' })
  if (b.saveMapping && !b.mapping) ctx.addIssue({ code: 'custom', path: ['saveMapping'], message: 'needs a mapping to save' })
}).meta({ id: 'BankImportInput' })

export const BankTransactionResource = z.object({
  id: Uuid,
  bankAccountId: Uuid,
  importId: Uuid,
  date: z.string(),
  amount: z.string().meta({ description: 'Signed: money in positive, out negative' }),
  description: z.string(),
  reference: z.string().nullable(),
  bankId: z.string().nullable().meta({ description: 'The bank\'s id of the line (FITID, AcctSvcrRef)' }),
  counterparty: z.string().nullable(),
  status: z.enum(['unmatched', 'matched', 'reconciled']),
  createdAt: Timestamp,
}).meta({ id: 'BankTransaction' })

export const BankMatchResource = z.object({
  journalLineId: Uuid,
  entryId: Uuid,
  entryNumber: z.number().int().nullable(),
  date: z.string(),
  amount: z.string().meta({ description: 'The GL line\'s signed amount in the bank account\'s currency' }),
  source: z.enum(['journal_line', 'receipt', 'bill_payment', 'categorized', 'rule', 'transfer']),
  ruleId: Uuid.nullable().meta({ description: 'The rule that categorised the line (source `rule`); null once the rule is deleted' }),
}).meta({ id: 'BankMatch' })

export const BankTransactionDetailResource = BankTransactionResource.extend({
  matches: z.array(BankMatchResource).meta({ description: 'The GL lines the bank line is matched to; they sum to its amount' }),
}).meta({ id: 'BankTransactionDetail' })

export const BankImportResource = z.object({
  id: Uuid,
  bankAccountId: Uuid,
  accountNumberMasked: z.string().nullable(),
  format: z.enum(BANK_FORMATS),
  fileName: z.string().nullable(),
  sha256: z.string(),
  imported: z.number().int().meta({ description: 'New lines' }),
  duplicates: z.number().int().meta({ description: 'Lines imported before (same key), skipped' }),
  skipped: z.number().int().meta({ description: 'Lines of amount zero, not imported (they move no money)' }),
  categorized: z.number().int().meta({ description: 'New lines categorised by a rule marked autoApply (they are `matched`)' }),
  closingBalance: z.string().nullable(),
  closingBalanceDate: z.string().nullable(),
  transactions: z.array(BankTransactionResource).meta({ description: 'The new lines' }),
  createdAt: Timestamp,
}).meta({ id: 'BankImport' })

const BankImportSummary = BankImportResource.omit({ transactions: true }).meta({ id: 'BankImportSummary' })

export const BankImportJobResource = z.object({
  jobId: Uuid,
  bankAccountId: Uuid,
  format: z.enum(BANK_FORMATS),
  fileName: z.string().nullable(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number().int().meta({ description: '0–100: reading the file is the first half, writing its lines the second' }),
  linesParsed: z.number().int().meta({ description: 'Lines read from the file so far' }),
  linesTotal: z.number().int().nullable().meta({ description: 'Lines of this bank account in the file, once it is read whole' }),
  linesWritten: z.number().int().meta({ description: 'New lines written so far (visible once the import commits)' }),
  result: BankImportSummary.optional().meta({ description: 'Once done: the import, as the request answers it without its lines (read them with `GET /bank-transactions?importId=`)' }),
  error: z.object({
    code: z.string().meta({ description: 'The code the request would have answered with (`IMPORT_INVALID`, `IMPORT_ACCOUNT_MISMATCH`, …), `IMPORT_FAILED` or `QUEUE_UNAVAILABLE`' }),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional().meta({ description: 'IMPORT_INVALID: each bad line (`line 7`, `Ntry 3 (line 40)`)' }),
  }).optional().meta({ description: 'Once failed: why; nothing was imported' }),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
}).meta({ id: 'BankImportJob' })

const PreviewLine = z.object({
  source: z.string().meta({ description: 'Where the line is in the file (`line 7`, `Ntry 3 (line 40)`)' }),
  date: z.string(),
  amount: z.string(),
  description: z.string(),
  reference: z.string().nullable(),
  bankId: z.string().nullable(),
  counterparty: z.string().nullable(),
  duplicate: z.boolean().meta({ description: 'Imported before: an import would skip it' }),
}).meta({ id: 'BankImportPreviewLine' })

export const BankImportPreviewBody = z.object({
  format: z.enum(BANK_FORMATS),
  content: z.string().min(1, 'is empty'),
  mapping: CsvMappingBody.optional(),
  hasHeader: z.boolean().optional().meta({ description: 'CSV without a mapping: whether the first row is a header (default true)' }),
  skipRows: z.number().int().min(0).max(100).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
}).strict().meta({ id: 'BankImportPreviewInput' })

export const BankImportPreviewResource = z.object({
  format: z.enum(BANK_FORMATS),
  csv: z.object({
    delimiter: z.string(),
    header: z.array(z.string()).nullable(),
    rows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })).meta({ description: 'The first 20 rows after the header' }),
  }).nullable().meta({ description: 'CSV: the file as read, for mapping its columns' }),
  mapping: CsvMappingBody.nullable().meta({ description: 'The mapping the lines were read with (given, else saved); null: none yet' }),
  lines: z.array(PreviewLine).meta({ description: 'The first 20 lines of this bank account as an import would read them (none for a CSV without a mapping)' }),
  total: z.number().int().meta({ description: 'Lines of this bank account in the file' }),
  duplicates: z.number().int().meta({ description: 'Of them, imported before' }),
}).meta({ id: 'BankImportPreview' })

export const BankTransactionListQuery = listQuery(['date', 'amount', 'createdAt']).extend({
  bankAccountId: Uuid.optional(),
  importId: Uuid.optional(),
  status: z.enum(['unmatched', 'matched', 'reconciled']).optional(),
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
})

const tag = 'Banking'
const IMPORT_ERRORS = ['IMPORT_INVALID', 'IMPORT_ACCOUNT_MISMATCH', 'IMPORT_CURRENCY_MISMATCH', 'IMPORT_MAPPING_REQUIRED', 'IMPORT_TOO_MANY_LINES', 'IMPORT_TOO_LARGE', 'NOT_FOUND']

export const bankContracts = {
  listBankAccounts: defineContract({ operationId: 'listBankAccounts', method: 'get', path: '/api/v1/bank-accounts', tag, audience: 'tenant', permission: 'bank:read', summary: 'Bank accounts with their GL balance and unmatched lines (q searches the name; filter: active); account numbers masked', query: BankAccountListQuery, response: listResponse(BankAccountResource) }),
  createBankAccount: defineContract({ operationId: 'createBankAccount', method: 'post', path: '/api/v1/bank-accounts', tag, audience: 'tenant', permission: 'bank:write', summary: 'Create a bank account on a GL cash or bank account; an opening balance posts one entry against opening-balance equity when the GL account has no postings yet', body: CreateBankAccountBody, response: BankAccountResource, successStatus: 201, idempotent: true, errors: ['BANK_ACCOUNT_GL_INVALID', 'BANK_ACCOUNT_GL_TAKEN', 'BANK_OPENING_EQUITY_INVALID', 'LEDGER_PERIOD_CLOSED', 'LEDGER_NO_RATE', 'TOO_MANY_DECIMALS', 'AMOUNT_OUT_OF_RANGE'] }),
  getBankAccount: defineContract({ operationId: 'getBankAccount', method: 'get', path: '/api/v1/bank-accounts/{id}', tag, audience: 'tenant', permission: 'bank:read', summary: 'One bank account, its number masked', params: IdParams, response: BankAccountResource }),
  updateBankAccount: defineContract({ operationId: 'updateBankAccount', method: 'patch', path: '/api/v1/bank-accounts/{id}', tag, audience: 'tenant', permission: 'bank:write', summary: 'Change a bank account; the opening balance can be given or changed until its entry is posted', params: IdParams, body: UpdateBankAccountBody, response: BankAccountResource, errors: ['STALE_VERSION', 'BANK_ACCOUNT_GL_INVALID', 'BANK_ACCOUNT_GL_TAKEN', 'BANK_OPENING_BALANCE_POSTED', 'BANK_OPENING_EQUITY_INVALID', 'LEDGER_PERIOD_CLOSED', 'LEDGER_NO_RATE', 'TOO_MANY_DECIMALS', 'AMOUNT_OUT_OF_RANGE'] }),
  createBankImport: defineContract({ operationId: 'createBankImport', method: 'post', path: '/api/v1/bank-accounts/{id}/imports', tag, audience: 'tenant', permission: 'bank:write', summary: 'Import a statement (CSV with a mapping, OFX 1.x/2.x, CAMT.053) as JSON `content` or the multipart field `file` (with `format`, `mapping` as JSON text, `saveMapping`), up to 20 MiB: up to 5,000 lines in the request (201), a file that may hold more as a worker job (202, poll `GET /bank-imports/jobs/{id}`); lines imported before are counted as duplicates, a malformed file imports nothing', params: IdParams, body: BankImportBody, accepts: ['multipart/form-data'], response: BankImportResource, successStatus: 201, alsoAnswers: { 202: { description: 'Accepted: the file may hold more than 5,000 lines and is imported by the worker; poll the job', response: BankImportJobResource } }, idempotent: true, errors: [...IMPORT_ERRORS, 'QUEUE_UNAVAILABLE'] }),
  getBankImportJob: defineContract({ operationId: 'getBankImportJob', method: 'get', path: '/api/v1/bank-imports/jobs/{id}', tag, audience: 'tenant', permission: 'bank:read', summary: 'An import run by the worker: status, progress and lines so far; once done the import\'s counts, once failed the refusal (IMPORT_INVALID with its lines)', params: IdParams, response: BankImportJobResource }),
  checkBankImport: defineContract({ operationId: 'checkBankImport', method: 'post', path: '/api/v1/bank-accounts/{id}/imports/preview', tag, audience: 'tenant', permission: 'bank:read', summary: 'What an import would read, without importing: a CSV\'s first rows with the detected delimiter and header, the first lines and which are duplicates', params: IdParams, body: BankImportPreviewBody, accepts: ['multipart/form-data'], response: BankImportPreviewResource, errors: IMPORT_ERRORS }),
  listBankTransactions: defineContract({ operationId: 'listBankTransactions', method: 'get', path: '/api/v1/bank-transactions', tag, audience: 'tenant', permission: 'bank:read', summary: 'Imported bank lines (q searches description, reference and counterparty; filters: bankAccountId, importId, status, from, to)', query: BankTransactionListQuery, response: listResponse(BankTransactionResource) }),
  getBankTransaction: defineContract({ operationId: 'getBankTransaction', method: 'get', path: '/api/v1/bank-transactions/{id}', tag, audience: 'tenant', permission: 'bank:read', summary: 'One imported bank line with its matches', params: IdParams, response: BankTransactionDetailResource }),
}
