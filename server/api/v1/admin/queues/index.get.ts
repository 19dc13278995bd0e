import { operationsContracts } from '../../../../contracts/operations'
import { queueSummaries } from '../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../utils/api'
import { requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(operationsContracts.queues, async (event) => {
  requireAdmin(event)
  return { data: await queueSummaries() }
})
