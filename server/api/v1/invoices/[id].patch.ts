import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { updateInvoice } from '../../../domain/sales/invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.updateInvoice, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => updateInvoice(tx, tenant.id, actor, params.id, body)))
