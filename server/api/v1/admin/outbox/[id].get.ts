import { operationsContracts } from '../../../../contracts/operations'
import { getOutboxRow } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'

// A write: the read is recorded in the platform audit in the same transaction.
export default defineApiHandler(operationsContracts.outboxRow, async (_event, { params, query, actor, write }) =>
  write(({ tx }) => getOutboxRow(tx, query.outbox, params.id, actor)))
