import { closingContracts } from '../../../contracts/closing'
import { listFiscalYears } from '../../../domain/ledger/closing'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(closingContracts.listFiscalYears, async (_event, { read }) => ({ data: await read(tx => listFiscalYears(tx)) }))
