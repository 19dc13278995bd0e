import { ledgerContracts } from '../../../../contracts/ledger'
import { reverseEntry } from '../../../../domain/ledger/entries'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requirePermission } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.reverseEntry, async (event, { params, body }) => {
  const { tenant } = requirePermission(event, 'ledger:post')
  return tenantWrite(event, tx => reverseEntry(tx, tenant.id, actorOf(event), params.id, body.date), { status: 201 })
})
