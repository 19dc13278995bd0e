import { ledgerContracts } from '../../../../contracts/ledger'
import { closePeriod, listPeriods } from '../../../../domain/ledger/periods'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requirePermission } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.closePeriod, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'ledger:close')
  return tenantWrite(event, async (tx) => {
    await closePeriod(tx, tenant.id, actorOf(event), params.id)
    return (await listPeriods(tx)).find(p => p.id === params.id)!
  })
})
