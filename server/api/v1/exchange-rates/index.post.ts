import { ledgerContracts } from '../../../contracts/ledger'
import { createRate } from '../../../domain/ledger/rates'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.createRate, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'ledger:write')
  return tenantWrite(event, tx => createRate(tx, tenant.id, actorOf(event), body), { status: 201 })
})
