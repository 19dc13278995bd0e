import { recurringInvoiceContracts } from '../../../contracts/recurring-invoices'
import { deleteRecurringInvoice } from '../../../domain/sales/recurring-invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(recurringInvoiceContracts.delete, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteRecurringInvoice(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
