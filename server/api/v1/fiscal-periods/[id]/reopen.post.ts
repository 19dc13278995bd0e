import { ledgerContracts } from '../../../../contracts/ledger'
import { listPeriods, reopenPeriod } from '../../../../domain/ledger/periods'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(ledgerContracts.reopenPeriod, async (_event, { params, body, tenant, actor, write }) => write(async (tx) => {
  await reopenPeriod(tx, tenant.id, actor, params.id, body.reason)
  return (await listPeriods(tx)).find(p => p.id === params.id)!
}))
