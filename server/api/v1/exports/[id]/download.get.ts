import { sendStream, setResponseHeaders } from 'h3'
import { withTenant } from '../../../../../db/tenant'
import { exportContracts } from '../../../../contracts/exports'
import { openExportFile } from '../../../../domain/reports/export-files'
import { getExport } from '../../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../../utils/api'
import { requirePermission } from '../../../../utils/guards'

export default defineApiHandler(exportContracts.download, async (event, { params }) => {
  const { tenant, user } = requirePermission(event, 'reports:export')
  const file = openExportFile(await withTenant(tenant.id, tx => getExport(tx, user.id, params.id)))
  setResponseHeaders(event, {
    'content-type': file.contentType,
    'content-length': file.size,
    'content-disposition': `attachment; filename="${file.filename}"`,
  })
  return sendStream(event, file.stream)
})
