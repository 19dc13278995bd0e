import { ledgerContracts } from '../../../../contracts/ledger'
import { postDraft } from '../../../../domain/ledger/entries'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requirePermission } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.postEntry, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'ledger:post')
  return tenantWrite(event, tx => postDraft(tx, tenant.id, actorOf(event), params.id))
})
