import { billPaymentContracts } from '../../../contracts/bill-payments'
import { createBillPayment } from '../../../domain/purchases/bill-payments'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billPaymentContracts.createBillPayment, async (_event, { body, tenant, actor, write }) =>
  write(tx => createBillPayment(tx, tenant.id, actor, body)))
