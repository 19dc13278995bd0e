/**
 * Bank reconciliation and transfers (SPEC §5 `bank-reconciliations`, `transfers`; issue 14 points 4
 * and 5): the contracts of server/domain/bank/reconciliations.ts, reconciliation-report.ts and
 * transfers.ts.
 */
import { z } from 'zod'
import { REPORT_FORMATS } from '../domain/reports/catalog'
import { SignedAmount } from './bank'
import { defineContract, FILE_MEDIA_TYPES, IdParams, listQuery, listResponse, Timestamp, Uuid, type InputPermission } from './define'
import { AccountingDate, Amount } from './ledger'

export const CreateBankReconciliationBody = z.object({
  bankAccountId: Uuid,
  statementDate: AccountingDate,
  statementEndingBalance: SignedAmount.optional().meta({ description: 'The statement\'s ending balance (negative: overdrawn); default the closing balance of the latest import of this account that closes on statementDate (400 when there is none)' }),
}).strict().meta({ id: 'CreateBankReconciliation' })

export const UpdateBankReconciliationBody = z.object({
  statementDate: AccountingDate,
  statementEndingBalance: SignedAmount,
  version: z.number().int().min(1),
}).partial().strict().meta({ id: 'UpdateBankReconciliation' })

export const BankReconciliationResource = z.object({
  id: Uuid,
  bankAccountId: Uuid,
  bankAccountName: z.string(),
  currency: z.string(),
  statementDate: z.string(),
  statementEndingBalance: z.string(),
  openingBalance: z.string().meta({ description: 'The latest completed reconciliation\'s ending balance, else the bank account\'s opening balance (0 without one)' }),
  clearedBalance: z.string().meta({ description: 'openingBalance + the cleared lines: while open, the account\'s matched bank lines up to statementDate; once completed, the lines it reconciled' }),
  difference: z.string().meta({ description: 'statementEndingBalance − clearedBalance; complete needs exactly 0' }),
  clearedDeposits: z.string(),
  clearedPayments: z.string().meta({ description: 'Positive' }),
  clearedCount: z.number().int(),
  unmatchedCount: z.number().int().meta({ description: 'Unmatched bank lines up to statementDate' }),
  status: z.enum(['open', 'completed']),
  completedAt: Timestamp.nullable(),
  completedBy: Uuid.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'BankReconciliation' })

export const BankReconciliationListQuery = listQuery(['statementDate']).extend({
  bankAccountId: Uuid.optional(),
  status: z.enum(['open', 'completed']).optional(),
})

const ReportLine = z.object({
  date: z.string(), description: z.string(), reference: z.string().nullable(),
  amount: z.string().meta({ description: 'Signed: money in positive' }),
  entryId: Uuid.optional(), entryNumber: z.number().int().nullable().optional(), bankTransactionId: Uuid.optional(),
})
const ReportGroup = z.object({ total: z.string().meta({ description: 'Positive' }), lines: z.array(ReportLine) })

export const BankReconciliationReportQuery = z.object({ format: z.enum(REPORT_FORMATS).default('json') })

export const BankReconciliationReportResource = z.object({
  reconciliation: BankReconciliationResource,
  accountCode: z.string(), accountName: z.string(),
  statementBalance: z.string(),
  outstandingDeposits: ReportGroup.meta({ description: 'Posted GL lines on the bank\'s GL account (after the opening balance date, up to statementDate) whose bank line is not cleared: money in' }),
  outstandingPayments: ReportGroup.meta({ description: 'The same, money out' }),
  bankOnlyDeposits: ReportGroup.meta({ description: 'Bank lines up to statementDate not cleared: money in' }),
  bankOnlyPayments: ReportGroup.meta({ description: 'The same, money out' }),
  adjustedBalance: z.string().meta({ description: 'statementBalance + outstanding deposits − outstanding payments − bank-only deposits + bank-only payments' }),
  glBalance: z.string().meta({ description: 'The GL account\'s posted balance at statementDate, in the bank account\'s currency' }),
  unexplained: z.string().meta({ description: 'glBalance − adjustedBalance; 0 when it ties' }),
  ties: z.boolean(),
}).meta({ id: 'BankReconciliationReport' })

export const CreateTransferBody = z.object({
  fromBankAccountId: Uuid,
  toBankAccountId: Uuid,
  date: AccountingDate,
  amount: Amount.refine(v => /[1-9]/.test(v), 'must be greater than zero').meta({ description: 'In the from account\'s currency' }),
  toAmount: Amount.refine(v => /[1-9]/.test(v), 'must be greater than zero').optional().meta({ description: 'In the to account\'s currency: required between currencies; equal to amount (or left out) otherwise' }),
  reference: z.string().trim().max(120).nullable().optional(),
}).strict().superRefine((b, ctx) => {
  if (b.fromBankAccountId === b.toBankAccountId) ctx.addIssue({ code: 'custom', path: ['toBankAccountId'], message: 'must differ from fromBankAccountId' })
}).meta({ id: 'CreateTransfer' })

export const TransferResource = z.object({
  id: Uuid,
  fromBankAccountId: Uuid,
  toBankAccountId: Uuid,
  date: z.string(),
  amount: z.string(), fromCurrency: z.string(),
  toAmount: z.string(), toCurrency: z.string(),
  reference: z.string().nullable(),
  entryId: Uuid.meta({ description: 'The one posted entry' }),
  createdAt: Timestamp,
}).meta({ id: 'Transfer' })

export const TransferListQuery = listQuery(['date']).extend({
  bankAccountId: Uuid.optional().meta({ description: 'Transfers from or to this bank account' }),
  from: AccountingDate.optional(),
  to: AccountingDate.optional(),
})

/** Undoing a completed reconciliation reopens closed books' evidence: it takes who may reopen periods. */
const UNDO_NEEDS_CLOSE: InputPermission = { permission: 'ledger:close', when: 'always', applies: () => true }

const tag = 'Banking'

export const bankReconciliationContracts = {
  listBankReconciliations: defineContract({ operationId: 'listBankReconciliations', method: 'get', path: '/api/v1/bank-reconciliations', tag, audience: 'tenant', permission: 'bank:read', summary: 'Reconciliations, latest statement date first (filters: bankAccountId, status)', query: BankReconciliationListQuery, response: listResponse(BankReconciliationResource) }),
  createBankReconciliation: defineContract({ operationId: 'createBankReconciliation', method: 'post', path: '/api/v1/bank-reconciliations', tag, audience: 'tenant', permission: 'bank:write', summary: 'Start a reconciliation of a bank account up to a statement date (one open per account); the ending balance defaults to an import\'s closing balance on that date', body: CreateBankReconciliationBody, response: BankReconciliationResource, successStatus: 201, idempotent: true, errors: ['RECONCILIATION_OPEN', 'RECONCILIATION_DATE_INVALID', 'TOO_MANY_DECIMALS'] }),
  getBankReconciliation: defineContract({ operationId: 'getBankReconciliation', method: 'get', path: '/api/v1/bank-reconciliations/{id}', tag, audience: 'tenant', permission: 'bank:read', summary: 'One reconciliation with its cleared balance and difference', params: IdParams, response: BankReconciliationResource }),
  updateBankReconciliation: defineContract({ operationId: 'updateBankReconciliation', method: 'patch', path: '/api/v1/bank-reconciliations/{id}', tag, audience: 'tenant', permission: 'bank:write', summary: 'Correct an open reconciliation\'s statement date or ending balance; a completed one never changes', params: IdParams, body: UpdateBankReconciliationBody, response: BankReconciliationResource, errors: ['RECONCILIATION_NOT_OPEN', 'RECONCILIATION_DATE_INVALID', 'STALE_VERSION', 'TOO_MANY_DECIMALS'] }),
  completeBankReconciliation: defineContract({ operationId: 'completeBankReconciliation', method: 'post', path: '/api/v1/bank-reconciliations/{id}/complete', tag, audience: 'tenant', permission: 'bank:write', summary: 'Complete at a difference of exactly 0: the cleared bank lines become reconciled (their GL lines can no longer be reversed); event bank_reconciliation.completed', params: IdParams, response: BankReconciliationResource, errors: ['RECONCILIATION_DIFFERENCE', 'RECONCILIATION_NOT_OPEN'] }),
  undoBankReconciliation: defineContract({ operationId: 'reopenBankReconciliation', method: 'post', path: '/api/v1/bank-reconciliations/{id}/undo', tag, audience: 'tenant', permission: 'bank:write', alsoRequires: [UNDO_NEEDS_CLOSE], summary: 'Reopen the latest completed reconciliation of its bank account (none open): its lines go back to matched', params: IdParams, response: BankReconciliationResource, errors: ['RECONCILIATION_NOT_COMPLETED', 'RECONCILIATION_NOT_LATEST', 'RECONCILIATION_OPEN'] }),
  getBankReconciliationReport: defineContract({ operationId: 'getBankReconciliationReport', method: 'get', path: '/api/v1/bank-reconciliations/{id}/report', tag, audience: 'tenant', permission: 'bank:read', summary: 'The reconciliation report: statement balance, outstanding deposits and payments, bank lines not in the books, GL balance and the tie. `format=csv|xlsx|pdf` answers the file.', params: IdParams, query: BankReconciliationReportQuery, response: BankReconciliationReportResource, produces: Object.values(FILE_MEDIA_TYPES) }),
  listTransfers: defineContract({ operationId: 'listTransfers', method: 'get', path: '/api/v1/transfers', tag, audience: 'tenant', permission: 'bank:read', summary: 'Transfers between bank accounts, latest first (filters: bankAccountId, from, to)', query: TransferListQuery, response: listResponse(TransferResource) }),
  createTransfer: defineContract({ operationId: 'createTransfer', method: 'post', path: '/api/v1/transfers', tag, audience: 'tenant', permission: 'bank:write', summary: 'Transfer between two bank accounts: one posted entry; between currencies (two foreign ones too) both amounts, the base difference to the FX gain/loss account', body: CreateTransferBody, response: TransferResource, successStatus: 201, idempotent: true, errors: ['BANK_TRANSFER_INVALID', 'LEDGER_PERIOD_CLOSED', 'LEDGER_NO_RATE', 'TOO_MANY_DECIMALS', 'AMOUNT_OUT_OF_RANGE'] }),
  getTransfer: defineContract({ operationId: 'getTransfer', method: 'get', path: '/api/v1/transfers/{id}', tag, audience: 'tenant', permission: 'bank:read', summary: 'One transfer', params: IdParams, response: TransferResource }),
}
