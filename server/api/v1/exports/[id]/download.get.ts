import { sendStream, setResponseHeaders } from 'h3'
import { exportContracts } from '../../../../contracts/exports'
import { openExportFile } from '../../../../domain/reports/export-files'
import { getExport } from '../../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(exportContracts.download, async (event, { params, principal, read }) => {
  const file = openExportFile(await read(tx => getExport(tx, principal.user.id, params.id)))
  setResponseHeaders(event, {
    'content-type': file.contentType,
    'content-length': file.size,
    'content-disposition': `attachment; filename="${file.filename}"`,
  })
  return sendStream(event, file.stream)
})
