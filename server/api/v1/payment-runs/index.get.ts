import { paymentRunContracts } from '../../../contracts/payment-runs'
import { listPaymentRuns } from '../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(paymentRunContracts.listPaymentRuns, async (_event, { query, read }) =>
  read(tx => listPaymentRuns(tx, query)))
