import { bankContracts } from '../../../contracts/bank'
import { getBankAccount } from '../../../domain/bank/accounts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankContracts.getBankAccount, async (_event, { params, tenant, read }) => read(tx => getBankAccount(tx, tenant.id, params.id)))
