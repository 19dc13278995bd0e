import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { createSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(reportScheduleContracts.create, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'reports:schedule')
  return tenantWrite(event, tx => createSchedule(tx, tenant.id, actorOf(event), body), { status: 201 })
})
