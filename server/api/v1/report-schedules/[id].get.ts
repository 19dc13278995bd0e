import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { getSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(reportScheduleContracts.get, async (event, { params, read }) => {
  const schedule = await read(tx => getSchedule(tx, params.id))
  setVersionTag(event, schedule.version)
  return schedule
})
