import { recurringInvoiceContracts } from '../../../contracts/recurring-invoices'
import { updateRecurringInvoice } from '../../../domain/sales/recurring-invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(recurringInvoiceContracts.update, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => updateRecurringInvoice(tx, tenant.id, actor, params.id, body)))
