import { ledgerContracts } from '../../../../contracts/ledger'
import { closePeriod, listPeriods } from '../../../../domain/ledger/periods'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(ledgerContracts.closePeriod, async (_event, { params, tenant, actor, write }) => write(async (tx) => {
  await closePeriod(tx, tenant.id, actor, params.id)
  return (await listPeriods(tx)).find(p => p.id === params.id)!
}))
