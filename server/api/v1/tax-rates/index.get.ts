import { salesContracts } from '../../../contracts/sales'
import { listTaxRates } from '../../../domain/sales/tax-rates'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.listTaxRates, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listTaxRates(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
