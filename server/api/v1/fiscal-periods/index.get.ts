import { ledgerContracts } from '../../../contracts/ledger'
import { listPeriods } from '../../../domain/ledger/periods'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.listPeriods, async (_event, { query, read }) => ({ data: await read(tx => listPeriods(tx, query)) }))
