import { ledgerContracts } from '../../../contracts/ledger'
import { updateDraft } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(ledgerContracts.updateEntry, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateDraft(tx, tenant.id, actor, params.id, { ...body, version }))
})
