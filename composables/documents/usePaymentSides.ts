/**
 * What differs between money received from a customer (a receipt, against invoices) and money
 * paid to a vendor (a bill payment, against bills) on the pages: names, routes, the API's field
 * names and test ids. The form, the page and the allocate dialog are one set of components
 * (`components/documents/Payment*.vue`, `AllocateDialog`) told apart by `side`.
 */
import type { BillAllocation } from '~/composables/purchases/useBillPayments'
import type { Allocation } from '~/composables/sales/useReceipts'

export type PaymentSideName = 'receipt' | 'bill_payment'

/** An invoice or bill that can still be paid, as the form and the allocate dialog list it. */
export interface OpenDocument {
  id: string
  number: string | null
  date: string
  dueDate: string | null
  total: string
  amountDue: string
  currency: string
  reference: string | null
}

/** One allocation of a receipt, payment, credit note or vendor credit, whichever side. */
export interface AllocationRow {
  id: string
  documentId: string
  documentNumber: string
  sourceNumber: string
  date: string
  amount: string
  currency: string
  fxAmount: string
  fxEntryId: string | null
  releasedAt: string | null
}

export const PAYMENT_SIDES = {
  receipt: {
    party: 'customer' as const,
    partyField: 'customerId',
    accountField: 'depositAccountId',
    documentField: 'invoiceId',
    title: 'Receipt',
    noun: 'receipt',
    plural: 'Receipts',
    page: '/sales/receipts',
    testid: 'receipt',
    permission: 'ar:write',
    document: { noun: 'invoice', plural: 'invoices', title: 'Invoice', page: '/sales/invoices' },
    dateLabel: 'Date received',
    amountLabel: 'Amount received',
    accountLabel: 'Deposited to',
    accountRule: 'Choose where the money went',
    creditCaption: 'stays as the customer\'s credit',
    creditLabel: 'Unallocated credit',
    finishText: 'Record receipt',
    /** A realised difference in base that is a loss has this sign. */
    lossIsNegative: false,
  },
  bill_payment: {
    party: 'vendor' as const,
    partyField: 'vendorId',
    accountField: 'paymentAccountId',
    documentField: 'billId',
    title: 'Payment',
    noun: 'payment',
    plural: 'Payments',
    page: '/purchases/payments',
    testid: 'payment',
    permission: 'ap:pay',
    document: { noun: 'bill', plural: 'bills', title: 'Bill', page: '/purchases/bills' },
    dateLabel: 'Date paid',
    amountLabel: 'Amount paid',
    accountLabel: 'Paid from',
    accountRule: 'Choose the account the money left',
    creditCaption: 'stays as a prepayment to the vendor',
    creditLabel: 'Unallocated (prepaid)',
    finishText: 'Record payment',
    lossIsNegative: true,
  },
}
export type PaymentSide = typeof PAYMENT_SIDES[PaymentSideName]

/** A receipt's or credit note's allocation, or a bill payment's or vendor credit's, as one row. */
export function allocationRow(a: Allocation | BillAllocation): AllocationRow {
  const [documentId, documentNumber] = 'invoiceId' in a ? [a.invoiceId, a.invoiceNumber] : [a.billId, a.billNumber]
  return { id: a.id, documentId, documentNumber, sourceNumber: a.sourceNumber, date: a.date, amount: a.amount, currency: a.currency, fxAmount: a.fxAmount, fxEntryId: a.fxEntryId, releasedAt: a.releasedAt }
}

/** A party's open invoices (customer) or bills (vendor), oldest due first. */
export async function fetchOpenDocuments(api: ReturnType<typeof useApi>, side: PaymentSideName, partyId: string): Promise<OpenDocument[]> {
  if (side === 'receipt') return (await fetchOpenInvoices(api, partyId)).map(i => ({ ...i, reference: i.reference }))
  return (await fetchOpenBills(api, partyId)).map(b => ({ ...b, reference: b.vendorReference }))
}

export function useOpenDocuments(side: PaymentSideName, partyId: MaybeRefOrGetter<string | null>) {
  const api = useApi()
  return useAsyncData(
    () => `open-${side}-documents:${toValue(partyId) ?? ''}`,
    () => {
      const id = toValue(partyId)
      return id ? fetchOpenDocuments(api, side, id) : Promise.resolve([])
    },
    { lazy: true, default: () => [] as OpenDocument[] },
  )
}
