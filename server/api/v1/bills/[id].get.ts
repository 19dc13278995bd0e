import { billContracts } from '../../../contracts/bills'
import { getBill } from '../../../domain/purchases/bills'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billContracts.getBill, async (_event, { params, read }) =>
  read(tx => getBill(tx, params.id)))
