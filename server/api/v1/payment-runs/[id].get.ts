import { paymentRunContracts } from '../../../contracts/payment-runs'
import { getPaymentRun } from '../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(paymentRunContracts.getPaymentRun, async (_event, { params, read }) =>
  read(tx => getPaymentRun(tx, params.id)))
