import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { listCreditNotes } from '../../../domain/sales/credit-notes'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.listCreditNotes, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listCreditNotes(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
