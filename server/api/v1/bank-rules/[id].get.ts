import { bankMatchingContracts } from '../../../contracts/bank-matching'
import { getBankRule } from '../../../domain/bank/rules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankMatchingContracts.getBankRule, async (_event, { params, read }) => read(tx => getBankRule(tx, params.id)))
