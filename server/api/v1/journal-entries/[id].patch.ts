import { ledgerContracts } from '../../../contracts/ledger'
import { updateDraft } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(ledgerContracts.updateEntry, async (event, { params, body }) => {
  const { tenant } = requirePermission(event, 'ledger:write')
  const version = expectedVersion(event, body.version)
  return tenantWrite(event, tx => updateDraft(tx, tenant.id, actorOf(event), params.id, { ...body, version }))
})
