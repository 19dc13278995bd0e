import { ledgerContracts } from '../../../contracts/ledger'
import { deleteDraft } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.deleteEntry, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteDraft(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
