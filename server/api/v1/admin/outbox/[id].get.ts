import { operationsContracts } from '../../../../contracts/operations'
import { getOutboxRow } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(operationsContracts.outboxRow, async (event, { params, query }) => {
  requireAdmin(event)
  return getOutboxRow(query.outbox, params.id, actorOf(event))
})
