import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { createInvoice } from '../../../domain/sales/invoices'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.createInvoice, async (_event, { body, tenant, actor, write }) =>
  write(tx => createInvoice(tx, tenant.id, actor, body)))
