/**
 * What a bank line can be categorised to: the postable accounts (active, no sub-accounts, not a
 * control account, not a bank account's own GL account) and the active tax rates.
 */
export function useCategoryOptions(bankGlAccountId?: MaybeRefOrGetter<string | null | undefined>) {
  const { data: accountData } = useLedgerAccounts()
  const { data: taxData } = useTaxRateList({ pageSize: 200, active: 'true' }, 'bank-tax-rates')
  const accounts = computed(() => (accountData.value?.data ?? [])
    .filter(a => a.isActive && !a.isParent && !a.isControl && a.id !== toValue(bankGlAccountId)))
  const taxRates = computed(() => (taxData.value?.data ?? []).map(r => ({ value: r.id, title: `${r.code} · ${r.name} (${formatTaxRate(r.rate)})` })))
  const accountName = (id: string | null | undefined) => {
    const a = (accountData.value?.data ?? []).find(x => x.id === id)
    return a ? accountLabel(a) : '—'
  }
  return { accounts, taxRates, accountName }
}
