import { paymentRunContracts } from '../../../../contracts/payment-runs'
import { approvePaymentRun } from '../../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(paymentRunContracts.approvePaymentRun, async (_event, { params, tenant, actor, write }) =>
  write(tx => approvePaymentRun(tx, tenant.id, actor, params.id)))
