import { salesContracts } from '../../../contracts/sales'
import { getCustomer } from '../../../domain/sales/customers'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.getCustomer, async (_event, { params, tenant, read }) => read(tx => getCustomer(tx, tenant.id, params.id)))
