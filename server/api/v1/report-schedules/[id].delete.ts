import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { deleteSchedule } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(reportScheduleContracts.remove, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'reports:schedule')
  await tenantWrite(event, tx => deleteSchedule(tx, tenant.id, actorOf(event), params.id))
  return { ok: true as const }
})
