import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { listReconciliations } from '../../../domain/bank/reconciliations'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.listBankReconciliations, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listReconciliations(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
