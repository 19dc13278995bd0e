import { withTenant } from '../../../../db/tenant'
import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { getSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(reportScheduleContracts.get, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'reports:read')
  const schedule = await withTenant(tenant.id, tx => getSchedule(tx, params.id))
  setVersionTag(event, schedule.version)
  return schedule
})
