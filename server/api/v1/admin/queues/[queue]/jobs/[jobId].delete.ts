import { operationsContracts } from '../../../../../../contracts/operations'
import { removeJob } from '../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../../../utils/guards'

export default defineApiHandler(operationsContracts.removeJob, async (event, { params }) => {
  requireAdmin(event)
  await removeJob(params.queue, params.jobId, actorOf(event))
  return { ok: true as const }
})
