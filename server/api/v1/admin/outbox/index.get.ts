import { operationsContracts } from '../../../../contracts/operations'
import { listOutbox } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'

// A write: the read is recorded in the platform audit in the same transaction.
export default defineApiHandler(operationsContracts.outbox, async (_event, { query, actor, write }) => {
  const { data, total } = await write(({ tx }) => listOutbox(tx, query, actor))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
