import { operationsContracts } from '../../../../contracts/operations'
import { getOutboxMail } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(operationsContracts.outboxMail, async (event, { params }) => {
  requireAdmin(event)
  return getOutboxMail(params.id, actorOf(event))
})
