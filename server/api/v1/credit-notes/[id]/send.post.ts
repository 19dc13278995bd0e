import { salesDocumentContracts } from '../../../../contracts/sales-documents'
import { sendSalesDocument } from '../../../../domain/sales/document-send'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(salesDocumentContracts.sendCreditNote, async (_event, { params, body, tenant, actor, write }) =>
  write((tx, unit) => sendSalesDocument(tx, tenant.id, actor, unit, 'credit_note', params.id, body)))
