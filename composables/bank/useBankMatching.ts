/**
 * Reconciling for the pages (SPEC §5 `bank-transactions/{id}/suggestions|match|categorize|unmatch`,
 * `bank-rules`, `bank-reconciliations`, `transfers`): what a bank line may be matched to, the
 * match, categorising into a posted entry, rules, reconciliation sessions and transfers.
 */
import type { z } from 'zod'
import type { BankCategorizeBody, BankMatchBody, BankRuleResource, BankSuggestionResource, CreateBankRuleBody } from '~~/server/contracts/bank-matching'
import type { BankReconciliationResource, CreateTransferBody, TransferResource } from '~~/server/contracts/bank-reconciliations'
import type { PagedList } from '~/composables/useApi'

export type BankReconciliation = z.output<typeof BankReconciliationResource>
export type BankTransfer = z.output<typeof TransferResource>

export type MatchSuggestion = z.output<typeof BankSuggestionResource>
export type BankRule = z.output<typeof BankRuleResource>
export type BankRuleInput = z.input<typeof CreateBankRuleBody>
export type MatchInput = z.input<typeof BankMatchBody>
export type CategorizeInput = z.input<typeof BankCategorizeBody>

export type TransferInput = z.input<typeof CreateTransferBody>

export const SUGGESTION_KIND_LABELS: Record<MatchSuggestion['kind'], string> = {
  journal_line: 'Journal line',
  receipt: 'Receipt',
  bill_payment: 'Bill payment',
  rule: 'Rule',
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
    suggestions: (transactionId: string) => api<{ data: MatchSuggestion[] }>(`/api/v1/bank-transactions/${transactionId}/suggestions`).then(answer => answer.data),
    /** Takes a suggestion: a GL line, a receipt or a bill payment is matched; a rule categorises the line with its account. */
    accept: (transactionId: string, s: MatchSuggestion) => {
      if (s.kind === 'rule') return api(`/api/v1/bank-transactions/${transactionId}/categorize`, { method: 'POST', body: { ruleId: s.id } })
      const body: MatchInput = s.kind === 'receipt' ? { receiptId: s.id } : s.kind === 'bill_payment' ? { billPaymentId: s.id } : { journalLineIds: [s.journalLineId ?? s.id] }
      return api(`/api/v1/bank-transactions/${transactionId}/match`, { method: 'POST', body })
    },
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
    /** Corrects an open session's statement ending balance (a typing slip, or a session reopened by undo). */
    correctReconciliation: (rec: Pick<BankReconciliation, 'id' | 'version'>, statementEndingBalance: string) =>
      api<BankReconciliation>(`/api/v1/bank-reconciliations/${rec.id}`, { method: 'PATCH', body: { statementEndingBalance, version: rec.version } }),
    undoReconciliation: (id: string) => api<BankReconciliation>(`/api/v1/bank-reconciliations/${id}/undo`, { method: 'POST' }),
    completeReconciliation: (id: string) => api<BankReconciliation>(`/api/v1/bank-reconciliations/${id}/complete`, { method: 'POST' }),
    createTransfer: (body: TransferInput) => api<BankTransfer>('/api/v1/transfers', { method: 'POST', body }),
  }
}
