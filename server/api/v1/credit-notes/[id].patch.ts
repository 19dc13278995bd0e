import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { updateCreditNote } from '../../../domain/sales/credit-notes'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.updateCreditNote, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => updateCreditNote(tx, tenant.id, actor, params.id, body)))
