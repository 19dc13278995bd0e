import { salesDocumentContracts } from '../../../../contracts/sales-documents'
import { issueCreditNote } from '../../../../domain/sales/credit-notes'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(salesDocumentContracts.issueCreditNote, async (_event, { params, tenant, actor, write }) =>
  write(tx => issueCreditNote(tx, tenant.id, actor, params.id)))
