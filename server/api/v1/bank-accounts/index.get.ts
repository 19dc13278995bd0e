import { bankContracts } from '../../../contracts/bank'
import { listBankAccounts } from '../../../domain/bank/accounts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankContracts.listBankAccounts, async (_event, { query, tenant, read }) => {
  const { data, total } = await read(tx => listBankAccounts(tx, tenant.id, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
