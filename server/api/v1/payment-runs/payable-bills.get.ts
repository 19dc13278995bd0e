import { paymentRunContracts } from '../../../contracts/payment-runs'
import { listPayableBills } from '../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(paymentRunContracts.listPayableBills, async (_event, { query, read }) =>
  read(tx => listPayableBills(tx, query)))
