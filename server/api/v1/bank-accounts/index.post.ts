import { bankContracts } from '../../../contracts/bank'
import { createBankAccount } from '../../../domain/bank/accounts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankContracts.createBankAccount, async (_event, { body, tenant, actor, write }) =>
  write(tx => createBankAccount(tx, tenant.id, actor, body)))
