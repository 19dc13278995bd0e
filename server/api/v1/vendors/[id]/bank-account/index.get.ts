import { vendorContracts } from '../../../../../contracts/vendors'
import { revealBankAccount } from '../../../../../domain/purchases/vendors'
import { defineApiHandler } from '../../../../../utils/api'

// A read that records itself: the reveal and its audit event share one transaction (a `write`).
export default defineApiHandler(vendorContracts.getVendorBankAccount, async (_event, { params, tenant, actor, write }) =>
  write(tx => revealBankAccount(tx, tenant.id, actor, params.id)))
