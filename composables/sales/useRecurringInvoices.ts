/**
 * Recurring invoices for the page (server/contracts/recurring-invoices.ts): the list and the
 * changes, typed by the contract's own resource.
 */
import type { z } from 'zod'
import type { CreateRecurringInvoiceBody, RecurringInvoiceResource } from '~~/server/contracts/recurring-invoices'
import type { PagedList } from '~/composables/useApi'

export type RecurringInvoice = z.output<typeof RecurringInvoiceResource>
export type RecurringInvoiceInput = z.input<typeof CreateRecurringInvoiceBody>

export function useRecurringInvoiceList(query: MaybeRefOrGetter<Record<string, string | number | undefined>>) {
  return useApiFetch<PagedList<RecurringInvoice>>('/api/v1/recurring-invoices', {
    query: computed(() => Object.fromEntries(Object.entries(toValue(query)).filter(([, v]) => v !== undefined && v !== ''))),
    lazy: true,
  })
}

export function useRecurringInvoiceActions() {
  const api = useApi()
  return {
    createRecurringInvoice: (body: RecurringInvoiceInput) => api<RecurringInvoice>('/api/v1/recurring-invoices', { method: 'POST', body }),
    updateRecurringInvoice: (r: Pick<RecurringInvoice, 'id' | 'version'>, body: Partial<RecurringInvoiceInput> & { isActive?: boolean }) =>
      api<RecurringInvoice>(`/api/v1/recurring-invoices/${r.id}`, { method: 'PATCH', body: { ...body, version: r.version } }),
    deleteRecurringInvoice: (r: Pick<RecurringInvoice, 'id'>) => api(`/api/v1/recurring-invoices/${r.id}`, { method: 'DELETE' }),
  }
}

const UNITS = { weekly: ['week', 'weeks'], monthly: ['month', 'months'], quarterly: ['quarter', 'quarters'], yearly: ['year', 'years'] } as const

/** "Every month", "Every 2 weeks". */
export function describeRecurrence(frequency: keyof typeof UNITS, interval: number): string {
  return interval === 1 ? `Every ${UNITS[frequency][0]}` : `Every ${interval} ${UNITS[frequency][1]}`
}
