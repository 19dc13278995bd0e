import { ledgerContracts } from '../../../contracts/ledger'
import { getAccount } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.getAccount, async (_event, { params, read }) => read(tx => getAccount(tx, params.id)))
