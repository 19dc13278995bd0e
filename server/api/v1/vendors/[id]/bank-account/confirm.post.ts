import { vendorContracts } from '../../../../../contracts/vendors'
import { confirmBankChange } from '../../../../../domain/purchases/vendors'
import { defineApiHandler } from '../../../../../utils/api'

export default defineApiHandler(vendorContracts.confirmVendorBankAccount, async (_event, { params, body, tenant, actor, write }) =>
  write((tx, unit) => confirmBankChange(tx, tenant.id, actor, unit, params.id, body)))
