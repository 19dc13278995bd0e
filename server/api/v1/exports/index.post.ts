import { exportContracts } from '../../../contracts/exports'
import { requestExport, startExport } from '../../../domain/reports/exports'
import { defineApiHandler } from '../../../utils/api'
import { fail } from '../../../utils/errors'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(exportContracts.create, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'reports:export')
  const accepted = await tenantWrite(event, tx => requestExport(tx, tenant.id, actorOf(event), body), { status: 202 })
  // Enqueued only after the row is committed, so the job always finds it.
  if (!(await startExport(tenant.id, accepted.id))) fail(503, 'QUEUE_UNAVAILABLE', 'The job queue is unavailable; please try again shortly')
  return accepted
})
