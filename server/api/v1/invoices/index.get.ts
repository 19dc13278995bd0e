import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { listInvoices } from '../../../domain/sales/invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.listInvoices, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listInvoices(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
