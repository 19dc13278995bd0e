import { ledgerContracts } from '../../../contracts/ledger'
import { listRates } from '../../../domain/ledger/rates'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.listRates, async (_event, { query, read }) => ({ data: await read(tx => listRates(tx, query)) }))
