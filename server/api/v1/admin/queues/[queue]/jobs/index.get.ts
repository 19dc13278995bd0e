import { operationsContracts } from '../../../../../../contracts/operations'
import { listJobs } from '../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../utils/api'

export default defineApiHandler(operationsContracts.jobs, async (_event, { params, query }) => {
  const { data, total } = await listJobs(params.queue, query)
  return { data, page: query.page, pageSize: query.pageSize, total }
})
