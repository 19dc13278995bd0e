import { billContracts } from '../../../contracts/bills'
import { listBills } from '../../../domain/purchases/bills'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billContracts.listBills, async (_event, { query, read }) =>
  read(tx => listBills(tx, query)))
