import { closingContracts } from '../../../contracts/closing'
import { revalue } from '../../../domain/ledger/revaluation'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(closingContracts.revalue, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'ledger:post')
  return tenantWrite(event, tx => revalue(tx, tenant.id, actorOf(event), body.date))
})
