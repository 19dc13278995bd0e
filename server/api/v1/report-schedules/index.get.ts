import { withTenant } from '../../../../db/tenant'
import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { listSchedules } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(reportScheduleContracts.list, async (event, { query }) => {
  const { tenant } = requirePermission(event, 'reports:read')
  const { data, total } = await withTenant(tenant.id, tx => listSchedules(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
