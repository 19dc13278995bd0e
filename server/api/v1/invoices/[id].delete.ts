import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { deleteInvoice } from '../../../domain/sales/invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.deleteInvoice, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteInvoice(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
