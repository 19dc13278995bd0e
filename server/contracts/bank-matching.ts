/**
 * Matching and rules (SPEC §5 `bank-transactions/{id}/suggestions|match|categorize|unmatch`,
 * `bank-rules`; issue 14 point 3): the contracts of server/domain/bank/matching.ts, suggestions.ts and
 * rules.ts.
 */
import { z } from 'zod'
import { defineContract, IdParams, listQuery, listResponse, Ok, Timestamp, Uuid } from './define'
import { Amount } from './ledger'
import { BankTransactionDetailResource } from './bank'

const tag = 'Banking'
const Memo = z.string().trim().min(1).max(500)

export const BankSuggestionResource = z.object({
  kind: z.enum(['journal_line', 'receipt', 'bill_payment', 'rule']),
  id: Uuid.meta({ description: 'The GL line, receipt, bill payment or rule' }),
  journalLineId: Uuid.nullable().meta({ description: 'The GL line that would be matched (null for a rule)' }),
  entryId: Uuid.nullable(),
  entryNumber: z.number().int().nullable(),
  date: z.string(),
  amount: z.string(),
  description: z.string(),
  score: z.number().min(0).max(1).meta({ description: '0 to 1: amount 0.5 (required), date up to 0.3, reference 0.1, counterparty up to 0.1; a rule 0.4' }),
  reason: z.string().meta({ description: 'What counted, e.g. `Same amount; 2 days apart; Reference RCT-000004` or `Rule: Bank fees`' }),
  accountId: Uuid.optional().meta({ description: 'A rule\'s account' }),
  taxRateId: Uuid.nullable().optional(),
  memo: z.string().nullable().optional(),
}).meta({ id: 'BankSuggestion' })

export const BankSuggestionQuery = z.object({
  days: z.coerce.number().int().min(0).max(90).default(7).meta({ description: 'The date window, ± days (default 7)' }),
  limit: z.coerce.number().int().min(1).max(50).default(10),
})

export const BankMatchBody = z.object({
  journalLineIds: z.array(Uuid).min(1).max(100).optional().meta({ description: 'GL lines on the bank account\'s GL account whose amounts sum to the bank line\'s' }),
  receiptId: Uuid.optional(),
  billPaymentId: Uuid.optional(),
}).strict().superRefine((b, ctx) => {
  const given = [b.journalLineIds, b.receiptId, b.billPaymentId].filter(x => x !== undefined).length
  if (given !== 1) ctx.addIssue({ code: 'custom', path: ['journalLineIds'], message: 'give exactly one of journalLineIds, receiptId, billPaymentId' })
  if (b.journalLineIds && new Set(b.journalLineIds).size !== b.journalLineIds.length) ctx.addIssue({ code: 'custom', path: ['journalLineIds'], message: 'names a GL line twice' })
}).meta({ id: 'BankMatchInput' })

export const BankCategorizeBody = z.object({
  accountId: Uuid.optional().meta({ description: 'The account the other side posts to (required unless ruleId is given)' }),
  taxRateId: Uuid.nullable().optional().meta({ description: 'Tax taken out of the gross bank amount; money in needs a sales rate, money out a purchases rate' }),
  memo: Memo.nullable().optional().meta({ description: 'Default: the bank line\'s description' }),
  ruleId: Uuid.optional().meta({ description: 'Apply this rule\'s account, tax rate and memo (the fields given here override them); the match\'s source is then `rule`' }),
}).strict().superRefine((b, ctx) => {
  if (!b.accountId && !b.ruleId) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'is required (or give ruleId)' })
}).meta({ id: 'BankCategorizeInput' })

const Conditions = z.object({
  descriptionContains: z.string().trim().min(1).max(200).nullable().optional().meta({ description: 'Found in the description, counterparty or reference, ignoring case' }),
  amountMin: Amount.nullable().optional().meta({ description: 'Lower bound (inclusive) on the absolute amount' }),
  amountMax: Amount.nullable().optional().meta({ description: 'Upper bound (inclusive) on the absolute amount' }),
  direction: z.enum(['in', 'out']).nullable().optional().meta({ description: '`in`: money in (amount > 0); `out`: money out' }),
}).strict()
const Action = z.object({
  accountId: Uuid,
  taxRateId: Uuid.nullable().optional(),
  memo: Memo.nullable().optional(),
}).strict()

const RuleFields = {
  name: z.string().trim().min(1).max(120),
  priority: z.number().int().min(0).max(1_000_000).meta({ description: 'Lower first' }),
  conditions: Conditions,
  action: Action,
  autoApply: z.boolean().optional().meta({ description: 'Categorise new imported lines with this rule (default false: only suggested)' }),
}
export const CreateBankRuleBody = z.object(RuleFields).strict().meta({ id: 'CreateBankRule' })
export const UpdateBankRuleBody = z.object({ ...RuleFields, conditions: Conditions, action: Action.partial().strict(), version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateBankRule' })

export const BankRuleResource = z.object({
  id: Uuid,
  name: z.string(),
  priority: z.number().int(),
  conditions: z.object({ descriptionContains: z.string().nullable(), amountMin: z.string().nullable(), amountMax: z.string().nullable(), direction: z.enum(['in', 'out']).nullable() }),
  action: z.object({ accountId: Uuid, taxRateId: Uuid.nullable(), memo: z.string().nullable() }),
  autoApply: z.boolean(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'BankRule' })

export const BankRuleListQuery = listQuery(['priority', 'name', 'createdAt']).extend({
  autoApply: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

const CHANGE_ERRORS = ['BANK_TRANSACTION_RECONCILED', 'BANK_TRANSACTION_MATCHED']
const CATEGORIZE_ERRORS = [...CHANGE_ERRORS, 'BANK_CATEGORY_ACCOUNT_INVALID', 'BANK_RULE_INVALID', 'BANK_LINE_ALREADY_MATCHED', 'TAX_RATE_INVALID', 'TAX_RATE_INACTIVE', 'TAX_ACCOUNT_INVALID', 'LEDGER_PERIOD_CLOSED', 'LEDGER_NO_RATE', 'TOO_MANY_DECIMALS', 'AMOUNT_OUT_OF_RANGE']
const RULE_ERRORS = ['BANK_RULE_INVALID', 'BANK_CATEGORY_ACCOUNT_INVALID', 'TAX_RATE_INVALID', 'TAX_RATE_INACTIVE']

export const bankMatchingContracts = {
  suggestBankMatches: defineContract({ operationId: 'listBankTransactionSuggestions', method: 'get', path: '/api/v1/bank-transactions/{id}/suggestions', tag, audience: 'tenant', permission: 'bank:read', summary: 'What an unmatched bank line could be matched to, best first: unmatched GL lines, receipts and bill payments on the bank account\'s GL account of the same amount within ±days, and the first rule whose conditions hold', params: IdParams, query: BankSuggestionQuery, response: z.object({ data: z.array(BankSuggestionResource) }) }),
  matchBankTransaction: defineContract({ operationId: 'createBankTransactionMatch', method: 'post', path: '/api/v1/bank-transactions/{id}/match', tag, audience: 'tenant', permission: 'bank:write', summary: 'Match a bank line to GL lines (their amounts summing to its amount), a receipt or a bill payment', params: IdParams, body: BankMatchBody, response: BankTransactionDetailResource, idempotent: true, errors: [...CHANGE_ERRORS, 'BANK_MATCH_LINE_INVALID', 'BANK_MATCH_AMOUNT_MISMATCH', 'BANK_LINE_ALREADY_MATCHED'] }),
  categorizeBankTransaction: defineContract({ operationId: 'postBankTransactionCategory', method: 'post', path: '/api/v1/bank-transactions/{id}/categorize', tag, audience: 'tenant', permission: 'bank:write', summary: 'Post the bank line against an account (tax of an optional rate taken out of the gross amount), dated the line\'s date, and match it', params: IdParams, body: BankCategorizeBody, response: BankTransactionDetailResource, idempotent: true, errors: CATEGORIZE_ERRORS }),
  unmatchBankTransaction: defineContract({ operationId: 'deleteBankTransactionMatches', method: 'post', path: '/api/v1/bank-transactions/{id}/unmatch', tag, audience: 'tenant', permission: 'bank:write', summary: 'Undo a bank line\'s matches; a categorisation\'s entry is reversed on its date', params: IdParams, response: BankTransactionDetailResource, idempotent: true, errors: ['BANK_TRANSACTION_RECONCILED', 'BANK_TRANSACTION_NOT_MATCHED', 'LEDGER_PERIOD_CLOSED'] }),
  listBankRules: defineContract({ operationId: 'listBankRules', method: 'get', path: '/api/v1/bank-rules', tag, audience: 'tenant', permission: 'bank:read', summary: 'Bank rules in priority order (q searches the name; filter: autoApply)', query: BankRuleListQuery, response: listResponse(BankRuleResource) }),
  createBankRule: defineContract({ operationId: 'createBankRule', method: 'post', path: '/api/v1/bank-rules', tag, audience: 'tenant', permission: 'bank:write', summary: 'Create a rule: conditions on a bank line → account, tax rate, memo', body: CreateBankRuleBody, response: BankRuleResource, successStatus: 201, idempotent: true, errors: RULE_ERRORS }),
  getBankRule: defineContract({ operationId: 'getBankRule', method: 'get', path: '/api/v1/bank-rules/{id}', tag, audience: 'tenant', permission: 'bank:read', summary: 'One bank rule', params: IdParams, response: BankRuleResource }),
  updateBankRule: defineContract({ operationId: 'updateBankRule', method: 'patch', path: '/api/v1/bank-rules/{id}', tag, audience: 'tenant', permission: 'bank:write', summary: 'Change a bank rule (conditions and action merge field by field)', params: IdParams, body: UpdateBankRuleBody, response: BankRuleResource, errors: ['STALE_VERSION', ...RULE_ERRORS] }),
  deleteBankRule: defineContract({ operationId: 'deleteBankRule', method: 'delete', path: '/api/v1/bank-rules/{id}', tag, audience: 'tenant', permission: 'bank:write', summary: 'Delete a bank rule; the lines it categorised stay matched', params: IdParams, response: Ok }),
}
