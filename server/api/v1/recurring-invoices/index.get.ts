import { recurringInvoiceContracts } from '../../../contracts/recurring-invoices'
import { listRecurringInvoices } from '../../../domain/sales/recurring-invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(recurringInvoiceContracts.list, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listRecurringInvoices(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
