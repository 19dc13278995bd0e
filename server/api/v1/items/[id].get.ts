import { salesContracts } from '../../../contracts/sales'
import { getItem } from '../../../domain/sales/items'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.getItem, async (_event, { params, read }) => read(tx => getItem(tx, params.id)))
