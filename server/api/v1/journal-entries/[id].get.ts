import { ledgerContracts } from '../../../contracts/ledger'
import { getEntry } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.getEntry, async (_event, { params, read }) => read(tx => getEntry(tx, params.id)))
