import { ledgerContracts } from '../../../../contracts/ledger'
import { reverseEntry } from '../../../../domain/ledger/entries'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(ledgerContracts.reverseEntry, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => reverseEntry(tx, tenant.id, actor, params.id, body.date)))
