import { billPaymentContracts } from '../../../contracts/bill-payments'
import { listBillPayments } from '../../../domain/purchases/bill-payments'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billPaymentContracts.listBillPayments, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listBillPayments(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
