import { salesContracts } from '../../../contracts/sales'
import { listItems } from '../../../domain/sales/items'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.listItems, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listItems(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
