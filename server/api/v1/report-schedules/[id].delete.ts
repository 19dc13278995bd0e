import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { deleteSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(reportScheduleContracts.remove, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteSchedule(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
