import { salesDocumentContracts } from '../../../../contracts/sales-documents'
import { voidInvoice } from '../../../../domain/sales/invoices'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(salesDocumentContracts.voidInvoice, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => voidInvoice(tx, tenant.id, actor, params.id, body)))
