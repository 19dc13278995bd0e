import { billPaymentContracts } from '../../../../contracts/bill-payments'
import { allocateBillPayment } from '../../../../domain/purchases/bill-payments'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(billPaymentContracts.allocateBillPayment, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => allocateBillPayment(tx, tenant.id, actor, params.id, body)))
