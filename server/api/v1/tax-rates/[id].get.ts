import { salesContracts } from '../../../contracts/sales'
import { getTaxRate } from '../../../domain/sales/tax-rates'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.getTaxRate, async (_event, { params, read }) => read(tx => getTaxRate(tx, params.id)))
