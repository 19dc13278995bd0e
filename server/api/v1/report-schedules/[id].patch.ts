import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { updateSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(reportScheduleContracts.update, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  const schedule = await write(tx => updateSchedule(tx, tenant.id, actor, params.id, { ...body, version }))
  setVersionTag(event, schedule.version)
  return schedule
})
