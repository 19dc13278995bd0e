import { salesDocumentContracts } from '../../../../contracts/sales-documents'
import { issueInvoice } from '../../../../domain/sales/invoices'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(salesDocumentContracts.issueInvoice, async (_event, { params, tenant, actor, write }) =>
  write(tx => issueInvoice(tx, tenant.id, actor, params.id)))
