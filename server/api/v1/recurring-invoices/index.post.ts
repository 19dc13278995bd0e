import { recurringInvoiceContracts } from '../../../contracts/recurring-invoices'
import { createRecurringInvoice } from '../../../domain/sales/recurring-invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(recurringInvoiceContracts.create, async (_event, { body, tenant, actor, write }) =>
  write(tx => createRecurringInvoice(tx, tenant.id, actor, body)))
