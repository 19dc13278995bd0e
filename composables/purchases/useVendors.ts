/**
 * Vendors for the pages (server/contracts/vendors.ts). Bank accounts arrive masked; the full value
 * comes only from `revealBankAccount` (`ap:pay`, and the server audits every call), and is held by
 * the page that asked, never in a store.
 */
import type { z } from 'zod'
import type { RevealedBankAccountResource, VendorResource } from '~~/server/contracts/vendors'
import type { BankAccount } from '#shared/purchases/bank-account'
import type { PagedList } from '~/composables/useApi'

export type Vendor = z.output<typeof VendorResource>
export type RevealedBankAccount = z.output<typeof RevealedBankAccountResource>

export interface VendorInput {
  name: string
  email: string | null
  phone: string | null
  currency: string | null
  paymentTermsDays: number | null
  taxNumber: string | null
  address: string | null
  code: string | null
  isActive?: boolean
  /** Left out: the account stays as it is. */
  bankAccount?: BankAccount | null
}

type Query = Record<string, string | number | undefined>
const compactQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''))

export function useVendorList(query: MaybeRefOrGetter<Query>) {
  return useApiFetch<PagedList<Vendor>>('/api/v1/vendors', { query: computed(() => compactQuery(toValue(query))), lazy: true })
}

/** Vendor changes; each throws the API's error for the caller to show. */
export function useVendorActions() {
  const api = useApi()
  return {
    createVendor: (body: VendorInput) => api<Vendor>('/api/v1/vendors', { method: 'POST', body }),
    updateVendor: (v: Pick<Vendor, 'id' | 'version'>, body: Partial<VendorInput>) =>
      api<Vendor>(`/api/v1/vendors/${v.id}`, { method: 'PATCH', body: { ...body, version: v.version } }),
    /** Confirms exactly the change the page showed (a newer one is 409). */
    confirmBankAccount: (v: Pick<Vendor, 'id'>, changeId: string) =>
      api<Vendor>(`/api/v1/vendors/${v.id}/bank-account/confirm`, { method: 'POST', body: { changeId } }),
    revealBankAccount: (v: Pick<Vendor, 'id'>) => api<RevealedBankAccount>(`/api/v1/vendors/${v.id}/bank-account`),
  }
}

/** `DE89 **** **** 3000 · COBADEFFXXX · Commerzbank`, or null without an account. */
export function bankAccountLine(account: { iban: string | null, accountNumber: string | null, bic: string | null, bankName: string | null } | null): string | null {
  if (!account) return null
  return [account.iban, account.accountNumber, account.bic, account.bankName].filter(Boolean).join(' · ')
}
