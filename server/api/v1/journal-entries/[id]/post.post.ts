import { ledgerContracts } from '../../../../contracts/ledger'
import { postDraft } from '../../../../domain/ledger/entries'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(ledgerContracts.postEntry, async (_event, { params, tenant, actor, write }) =>
  write(tx => postDraft(tx, tenant.id, actor, params.id)))
