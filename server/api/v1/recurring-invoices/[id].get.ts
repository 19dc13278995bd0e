import { recurringInvoiceContracts } from '../../../contracts/recurring-invoices'
import { getRecurringInvoice } from '../../../domain/sales/recurring-invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(recurringInvoiceContracts.get, async (_event, { params, read }) =>
  read(tx => getRecurringInvoice(tx, params.id)))
