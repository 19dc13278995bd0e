import { exportContracts } from '../../../contracts/exports'
import { requestExport, startExport } from '../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../utils/api'
import { fail } from '../../../utils/errors'

/** A report whose file needs more than `reports:export` says so in the contract (alsoRequires, from the catalog). */
export default defineApiHandler(exportContracts.create, async (_event, { body, tenant, actor, write }) => {
  let started: Promise<boolean> | undefined
  const accepted = await write(async (tx, unit) => {
    const row = await requestExport(tx, tenant.id, actor, body)
    // Enqueued only once the row is committed, so the job always finds it (and not on an idempotent replay).
    unit.afterCommit(() => (started = startExport(tenant.id, row.id)))
    return row
  })
  if (started && !(await started)) fail(503, 'QUEUE_UNAVAILABLE', 'The job queue is unavailable; please try again shortly')
  return accepted
})
