/**
 * Reconciling for the pages (SPEC §5 `bank-transactions/{id}/suggestions|match|categorize|unmatch`,
 * `bank-rules`, `bank-reconciliations`, `transfers`): what a bank line may be matched to, the
 * match, categorising into a posted entry, rules, reconciliation sessions and transfers.
 */
import type { z } from 'zod'
import type { BankReconciliationResource, TransferResource } from '~~/server/contracts/bank-reconciliations'
import type { PagedList } from '~/composables/useApi'

export type BankReconciliation = z.output<typeof BankReconciliationResource>
export type BankTransfer = z.output<typeof TransferResource>

export interface MatchSuggestion {
  kind: 'journal_line' | 'receipt' | 'bill_payment'
  id: string
  date: string
  amount: string
  description: string
  /** 0–100: how sure the match is. */
  score: number
  /** Why it is suggested (amount, date window, reference, counterparty). */
  reason?: string | null
  reasons?: string[]
}

export interface MatchInput { journalLineIds?: string[], receiptId?: string, billPaymentId?: string }
export interface CategorizeInput { accountId: string, taxRateId?: string, memo?: string }

export interface BankRuleConditions { descriptionContains?: string | null, amountMin?: string | null, amountMax?: string | null, direction?: 'in' | 'out' | null }
export interface BankRuleAction { accountId: string, taxRateId?: string | null, memo?: string | null }
export interface BankRule {
  id: string
  name: string
  priority: number
  conditions: BankRuleConditions
  action: BankRuleAction
  autoApply: boolean
  version: number
}
export interface BankRuleInput { name: string, priority: number, conditions: BankRuleConditions, action: BankRuleAction, autoApply: boolean }

export interface TransferInput { fromBankAccountId: string, toBankAccountId: string, date: string, amount: string, toAmount?: string, reference?: string }
/** The body `match` takes for a suggestion. */
export function matchBody(s: Pick<MatchSuggestion, 'kind' | 'id'>): MatchInput {
  if (s.kind === 'receipt') return { receiptId: s.id }
  if (s.kind === 'bill_payment') return { billPaymentId: s.id }
  return { journalLineIds: [s.id] }
}

export const SUGGESTION_KIND_LABELS: Record<MatchSuggestion['kind'], string> = {
  journal_line: 'Journal line',
  receipt: 'Receipt',
  bill_payment: 'Bill payment',
}

/** Why a suggestion is offered, as one phrase. */
export function suggestionReason(s: MatchSuggestion): string {
  return s.reason ?? s.reasons?.join(' · ') ?? ''
}

export function useBankRuleList() {
  return useApiFetch<PagedList<BankRule>>('/api/v1/bank-rules', { query: { pageSize: 200, sort: 'priority:asc' }, lazy: true, key: 'bank-rules' })
}

export function useBankTransferList(query: MaybeRefOrGetter<Record<string, string | number | undefined>>) {
  return useApiFetch<PagedList<BankTransfer>>('/api/v1/transfers', { query: computed(() => toValue(query)), lazy: true })
}

/** Reconciling changes; each throws the API's error for the caller to show. */
export function useBankMatchingActions() {
  const api = useApi()
  return {
    suggestions: (transactionId: string) => api<MatchSuggestion[] | { data: MatchSuggestion[] }>(`/api/v1/bank-transactions/${transactionId}/suggestions`)
      .then(answer => (Array.isArray(answer) ? answer : answer.data)),
    match: (transactionId: string, body: MatchInput) => api(`/api/v1/bank-transactions/${transactionId}/match`, { method: 'POST', body }),
    categorize: (transactionId: string, body: CategorizeInput) => api(`/api/v1/bank-transactions/${transactionId}/categorize`, { method: 'POST', body }),
    unmatch: (transactionId: string) => api(`/api/v1/bank-transactions/${transactionId}/unmatch`, { method: 'POST' }),
    createRule: (body: BankRuleInput) => api<BankRule>('/api/v1/bank-rules', { method: 'POST', body }),
    updateRule: (rule: Pick<BankRule, 'id' | 'version'>, body: Partial<BankRuleInput>) => api<BankRule>(`/api/v1/bank-rules/${rule.id}`, { method: 'PATCH', body: { ...body, version: rule.version } }),
    deleteRule: (rule: Pick<BankRule, 'id'>) => api(`/api/v1/bank-rules/${rule.id}`, { method: 'DELETE' }),
    startReconciliation: (body: { bankAccountId: string, statementDate: string, statementEndingBalance?: string }) =>
      api<BankReconciliation>('/api/v1/bank-reconciliations', { method: 'POST', body }),
    getReconciliation: (id: string) => api<BankReconciliation>(`/api/v1/bank-reconciliations/${id}`),
    /** The account's open reconciliation, if it has one (at most one is open). */
    openReconciliation: (bankAccountId: string) => api<PagedList<BankReconciliation>>('/api/v1/bank-reconciliations', { query: { bankAccountId, status: 'open', pageSize: 1 } })
      .then(list => list.data[0] ?? null),
    undoReconciliation: (id: string) => api<BankReconciliation>(`/api/v1/bank-reconciliations/${id}/undo`, { method: 'POST' }),
    completeReconciliation: (id: string) => api<BankReconciliation>(`/api/v1/bank-reconciliations/${id}/complete`, { method: 'POST' }),
    createTransfer: (body: TransferInput) => api<BankTransfer>('/api/v1/transfers', { method: 'POST', body }),
  }
}
