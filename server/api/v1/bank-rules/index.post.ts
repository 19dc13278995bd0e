import { bankMatchingContracts } from '../../../contracts/bank-matching'
import { createBankRule } from '../../../domain/bank/rules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankMatchingContracts.createBankRule, async (_event, { body, tenant, actor, write }) =>
  write(tx => createBankRule(tx, tenant.id, actor, body)))
