import { receiptContracts } from '../../../contracts/receipts'
import { listReceipts } from '../../../domain/sales/receipts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(receiptContracts.listReceipts, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listReceipts(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
