import { withTenant } from '../../../../db/tenant'
import { exportContracts } from '../../../contracts/exports'
import { listExports } from '../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(exportContracts.list, async (event, { query }) => {
  const { tenant, user } = requirePermission(event, 'reports:export')
  const { data, total } = await withTenant(tenant.id, tx => listExports(tx, user.id, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
