import { ledgerContracts } from '../../../contracts/ledger'
import { createAccount } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.createAccount, async (_event, { body, tenant, actor, write }) =>
  write(tx => createAccount(tx, tenant.id, actor, body)))
