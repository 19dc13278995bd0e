import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { deleteCreditNote } from '../../../domain/sales/credit-notes'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.deleteCreditNote, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteCreditNote(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
