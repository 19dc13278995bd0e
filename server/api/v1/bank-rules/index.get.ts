import { bankMatchingContracts } from '../../../contracts/bank-matching'
import { listBankRules } from '../../../domain/bank/rules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankMatchingContracts.listBankRules, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listBankRules(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
