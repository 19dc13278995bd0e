import { operationsContracts } from '../../../../../../../contracts/operations'
import { retryJob } from '../../../../../../../domain/platform/queues'
import { defineApiHandler } from '../../../../../../../utils/api'

export default defineApiHandler(operationsContracts.retryJob, async (_event, { params, actor, write }) => write(({ tx }) => retryJob(tx, params.queue, params.jobId, actor)))
