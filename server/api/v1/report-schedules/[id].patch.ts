import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { updateSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(reportScheduleContracts.update, async (event, { params, body }) => {
  const { tenant } = requirePermission(event, 'reports:schedule')
  const version = expectedVersion(event, body.version)
  const schedule = await tenantWrite(event, tx => updateSchedule(tx, tenant.id, actorOf(event), params.id, { ...body, version }))
  setVersionTag(event, schedule.version)
  return schedule
})
