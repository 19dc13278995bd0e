import { salesDocumentContracts } from '../../../contracts/sales-documents'
import { getCreditNote } from '../../../domain/sales/credit-notes'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesDocumentContracts.getCreditNote, async (_event, { params, read }) =>
  read(tx => getCreditNote(tx, params.id)))
