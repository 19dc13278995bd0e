import { operationsContracts } from '../../../../../../contracts/operations'
import { removeJob } from '../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../utils/api'

export default defineApiHandler(operationsContracts.removeJob, async (_event, { params, actor, write }) => {
  await write(({ tx }) => removeJob(tx, params.queue, params.jobId, actor))
  return { ok: true as const }
})
