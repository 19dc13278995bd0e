import { setResponseHeaders } from 'h3'
import { salesDocumentContracts } from '../../../../contracts/sales-documents'
import { salesDocumentPdfFile } from '../../../../domain/sales/document-send'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(salesDocumentContracts.creditNotePdf, async (event, { params, read }) => {
  const file = await read(tx => salesDocumentPdfFile(tx, 'credit_note', params.id))
  setResponseHeaders(event, {
    'content-type': 'application/pdf',
    'content-length': file.bytes.length,
    'content-disposition': `attachment; filename="${file.filename}"`,
  })
  return file.bytes
})
