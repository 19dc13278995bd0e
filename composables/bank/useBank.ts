/**
 * Banking for the pages (server/contracts/bank.ts): bank accounts, statement imports and their
 * preview, the imported lines. Account numbers only ever arrive masked.
 */
import type { z } from 'zod'
import type {
  BankAccountResource, BankImportPreviewResource, BankImportResource, BankTransactionResource, CsvMappingBody,
} from '~~/server/contracts/bank'
import type { PagedList } from '~/composables/useApi'

export type BankAccount = z.output<typeof BankAccountResource>
export type BankTransaction = z.output<typeof BankTransactionResource>
export type BankImport = z.output<typeof BankImportResource>
export type BankImportPreview = z.output<typeof BankImportPreviewResource>
export type CsvMapping = z.input<typeof CsvMappingBody>
export type StatementFormat = BankImport['format']
export type BankTransactionStatus = BankTransaction['status']

export interface BankAccountInput {
  name: string
  accountId: string
  currency?: string
  accountNumber?: string | null
  openingBalance?: string
  openingBalanceDate?: string
  isActive?: boolean
}

/** What the import routes take (the file's text as `content`). */
export interface StatementInput {
  format: StatementFormat
  content: string
  fileName?: string
  mapping?: CsvMapping
  saveMapping?: boolean
}
export type PreviewInput = Omit<StatementInput, 'fileName' | 'saveMapping'> & { hasHeader?: boolean, skipRows?: number, delimiter?: CsvMapping['delimiter'] }

type Query = Record<string, string | number | undefined | null>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useBankAccountList(query: MaybeRefOrGetter<Query> = {}, key?: string) {
  return useApiFetch<PagedList<BankAccount>>('/api/v1/bank-accounts', { query: computed(() => compactQuery(toValue(query))), lazy: true, ...(key ? { key } : {}) })
}

export function useBankAccount(id: MaybeRefOrGetter<string>) {
  return useApiFetch<BankAccount>(() => `/api/v1/bank-accounts/${toValue(id)}`, { lazy: true })
}

export function useBankTransactionList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<BankTransaction>>('/api/v1/bank-transactions', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

/** Banking changes and checks; each throws the API's error for the caller to show. */
export function useBankActions() {
  const api = useApi()
  return {
    createBankAccount: (body: BankAccountInput) => api<BankAccount>('/api/v1/bank-accounts', { method: 'POST', body }),
    updateBankAccount: (b: Pick<BankAccount, 'id' | 'version'>, body: Partial<BankAccountInput>) =>
      api<BankAccount>(`/api/v1/bank-accounts/${b.id}`, { method: 'PATCH', body: { ...body, version: b.version } }),
    previewImport: (bankAccountId: string, body: PreviewInput) =>
      api<BankImportPreview>(`/api/v1/bank-accounts/${bankAccountId}/imports/preview`, { method: 'POST', body }),
    importStatement: (bankAccountId: string, body: StatementInput) =>
      api<BankImport>(`/api/v1/bank-accounts/${bankAccountId}/imports`, { method: 'POST', body }),
  }
}

export const TRANSACTION_STATUS_LABELS: Record<BankTransactionStatus, string> = {
  unmatched: 'To reconcile',
  matched: 'Matched',
  reconciled: 'Reconciled',
}
