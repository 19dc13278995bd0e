import { operationsContracts } from '../../../../../../../contracts/operations'
import { retryJob } from '../../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../../../../utils/guards'

export default defineApiHandler(operationsContracts.retryJob, async (event, { params }) => {
  requireAdmin(event)
  return retryJob(params.queue, params.jobId, actorOf(event))
})
