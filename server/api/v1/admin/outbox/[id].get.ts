import { operationsContracts } from '../../../../contracts/operations'
import { getOutboxRow } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(operationsContracts.outboxRow, async (_event, { params, query, actor }) =>
  getOutboxRow(query.outbox, params.id, actor))
