import { operationsContracts } from '../../../../contracts/operations'
import { queueSummaries } from '../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(operationsContracts.queues, async () => ({ data: await queueSummaries() }))
