import { operationsContracts } from '../../../../contracts/operations'
import { listOutbox } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(operationsContracts.outbox, async (event, { query }) => {
  requireAdmin(event)
  const { data, total } = await listOutbox(query, actorOf(event))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
