import { exportContracts } from '../../../contracts/exports'
import { requestExport, startExport } from '../../../domain/reports/export-requests'
import { reportOf } from '../../../domain/reports/registry'
import { defineApiHandler } from '../../../utils/api'
import { fail } from '../../../utils/errors'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(exportContracts.create, async (event, { body }) => {
  // A report's file permission (its registry entry): reports:export for every report today.
  const { tenant } = requirePermission(event, reportOf(body.report).permissions.file)
  const accepted = await tenantWrite(event, tx => requestExport(tx, tenant.id, actorOf(event), body), { status: 202 })
  // Enqueued only after the row is committed, so the job always finds it.
  if (!(await startExport(tenant.id, accepted.id))) fail(503, 'QUEUE_UNAVAILABLE', 'The job queue is unavailable; please try again shortly')
  return accepted
})
