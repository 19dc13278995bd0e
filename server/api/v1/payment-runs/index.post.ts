import { paymentRunContracts } from '../../../contracts/payment-runs'
import { preparePaymentRun } from '../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(paymentRunContracts.createPaymentRun, async (_event, { body, tenant, actor, write }) =>
  write(tx => preparePaymentRun(tx, tenant.id, actor, body)))
