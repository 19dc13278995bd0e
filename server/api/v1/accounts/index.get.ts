import { ledgerContracts } from '../../../contracts/ledger'
import { listAccounts } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.listAccounts, async (_event, { query, read }) => ({ data: await read(tx => listAccounts(tx, query)) }))
