import { salesDocumentContracts } from '../../../../contracts/sales-documents'
import { sendSalesDocument } from '../../../../domain/sales/document-send'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(salesDocumentContracts.sendInvoice, async (_event, { params, body, tenant, actor, write }) =>
  write((tx, unit) => sendSalesDocument(tx, tenant.id, actor, unit, 'invoice', params.id, body)))
