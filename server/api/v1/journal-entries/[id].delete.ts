import { ledgerContracts } from '../../../contracts/ledger'
import { deleteDraft } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.deleteEntry, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'ledger:write')
  await tenantWrite(event, tx => deleteDraft(tx, tenant.id, actorOf(event), params.id))
  return { ok: true as const }
})
