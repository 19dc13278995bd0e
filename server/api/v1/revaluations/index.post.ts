import { closingContracts } from '../../../contracts/closing'
import { revalue } from '../../../domain/ledger/revaluation'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(closingContracts.revalue, async (_event, { body, tenant, actor, write }) =>
  write(tx => revalue(tx, tenant.id, actor, body.date)))
