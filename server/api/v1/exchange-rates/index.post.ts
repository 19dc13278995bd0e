import { ledgerContracts } from '../../../contracts/ledger'
import { createRate } from '../../../domain/ledger/rates'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.createRate, async (_event, { body, tenant, actor, write }) =>
  write(tx => createRate(tx, tenant.id, actor, body)))
