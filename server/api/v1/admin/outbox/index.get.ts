import { operationsContracts } from '../../../../contracts/operations'
import { listOutbox } from '../../../../domain/platform/outbox'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(operationsContracts.outbox, async (_event, { query, actor }) => {
  const { data, total } = await listOutbox(query, actor)
  return { data, page: query.page, pageSize: query.pageSize, total }
})
