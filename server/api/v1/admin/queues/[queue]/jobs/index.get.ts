import { operationsContracts } from '../../../../../../contracts/operations'
import { listJobs } from '../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../utils/api'
import { requireAdmin } from '../../../../../../utils/guards'

export default defineApiHandler(operationsContracts.jobs, async (event, { params, query }) => {
  requireAdmin(event)
  const { data, total } = await listJobs(params.queue, query)
  return { data, page: query.page, pageSize: query.pageSize, total }
})
