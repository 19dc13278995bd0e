import { bankContracts } from '../../../contracts/bank'
import { listBankTransactions } from '../../../domain/bank/imports'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankContracts.listBankTransactions, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listBankTransactions(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
