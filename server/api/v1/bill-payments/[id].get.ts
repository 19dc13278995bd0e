import { billPaymentContracts } from '../../../contracts/bill-payments'
import { getBillPayment } from '../../../domain/purchases/bill-payments'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billPaymentContracts.getBillPayment, async (_event, { params, tenant, read }) =>
  read(tx => getBillPayment(tx, tenant.id, params.id)))
