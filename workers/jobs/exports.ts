/**
 * Report exports (server/domain/reports/exports.ts): runs one export per job, reporting progress
 * to the job as well as the row. A retried or duplicated job is harmless: a finished export is
 * left as it is. After the last attempt the export is marked failed and its requester told.
 */
import { DomainError } from '../../server/domain/errors'
import { exportErrorMessage, failExport, runExport } from '../../server/domain/reports/exports'
import { defineJobHandler } from './define'

export default defineJobHandler({
  queue: 'exports',
  async process(job) {
    const { tenantId, exportId } = job.data
    try {
      const row = await runExport(tenantId, exportId, pct => job.updateProgress(pct))
      return { status: row.status, size: row.size }
    }
    catch (err) {
      // runExport has already failed the export for a domain error: retrying cannot help.
      if (err instanceof DomainError) return { status: 'failed', error: err.message }
      throw err
    }
  },
  async onFinalFailure({ tenantId, exportId }, error) {
    await failExport(tenantId, exportId, exportErrorMessage(error))
  },
})
