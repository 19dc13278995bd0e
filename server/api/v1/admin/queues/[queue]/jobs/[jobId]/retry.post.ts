import { operationsContracts } from '../../../../../../../contracts/operations'
import { retryJob } from '../../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../../utils/api'

export default defineApiHandler(operationsContracts.retryJob, async (_event, { params, actor }) => retryJob(params.queue, params.jobId, actor))
