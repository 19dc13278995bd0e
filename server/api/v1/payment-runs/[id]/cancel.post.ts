import { paymentRunContracts } from '../../../../contracts/payment-runs'
import { cancelPaymentRun } from '../../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(paymentRunContracts.cancelPaymentRun, async (_event, { params, tenant, actor, write }) =>
  write(tx => cancelPaymentRun(tx, tenant.id, actor, params.id)))
