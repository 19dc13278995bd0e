import type { Vendor } from '~/composables/purchases/useVendors'
import type { Customer } from '~/composables/sales/useSales'

/** Who a document or payment is with: a customer (sales) or a vendor (purchases). */
export type Party = Pick<Customer | Vendor, 'id' | 'name'> & Partial<Pick<Customer | Vendor, 'currency' | 'paymentTermsDays'>>

/**
 * The party a form starts with when a link names it (`?customerId=`, `?vendorId=`): fetched on
 * mount for its currency and terms; null when it is gone (the picker then offers everyone).
 */
export async function fetchParty(side: 'customer' | 'vendor', id: string): Promise<Party | null> {
  const api = useApi()
  return api<Party>(`/api/v1/${side === 'customer' ? 'customers' : 'vendors'}/${id}`).catch(() => null)
}
