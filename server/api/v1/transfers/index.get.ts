import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { listTransfers } from '../../../domain/bank/transfers'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.listTransfers, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listTransfers(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
