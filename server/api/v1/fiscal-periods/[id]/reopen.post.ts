import { ledgerContracts } from '../../../../contracts/ledger'
import { listPeriods, reopenPeriod } from '../../../../domain/ledger/periods'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requirePermission } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.reopenPeriod, async (event, { params, body }) => {
  const { tenant } = requirePermission(event, 'ledger:close')
  return tenantWrite(event, async (tx) => {
    await reopenPeriod(tx, tenant.id, actorOf(event), params.id, body.reason)
    return (await listPeriods(tx)).find(p => p.id === params.id)!
  })
})
