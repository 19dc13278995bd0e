import { withTenant } from '../../../../db/tenant'
import { exportContracts } from '../../../contracts/exports'
import { getExport, toExportResource } from '../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(exportContracts.get, async (event, { params }) => {
  const { tenant, user } = requirePermission(event, 'reports:export')
  return toExportResource(await withTenant(tenant.id, tx => getExport(tx, user.id, params.id)))
})
