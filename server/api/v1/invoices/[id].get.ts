import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { getInvoice } from '../../../domain/sales/invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.getInvoice, async (_event, { params, read }) =>
  read(tx => getInvoice(tx, params.id)))
