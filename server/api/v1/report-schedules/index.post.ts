import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { createSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(reportScheduleContracts.create, async (_event, { body, tenant, actor, write }) =>
  write(tx => createSchedule(tx, tenant.id, actor, body)))
