import { billPaymentContracts } from '../../../../contracts/bill-payments'
import { voidBillPayment } from '../../../../domain/purchases/bill-payments'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(billPaymentContracts.voidBillPayment, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => voidBillPayment(tx, tenant.id, actor, params.id, body)))
