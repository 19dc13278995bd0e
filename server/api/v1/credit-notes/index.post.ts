import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { createCreditNote } from '../../../domain/sales/credit-notes'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.createCreditNote, async (_event, { body, tenant, actor, write }) =>
  write(tx => createCreditNote(tx, tenant.id, actor, body)))
