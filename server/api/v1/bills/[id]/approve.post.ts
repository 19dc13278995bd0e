import { billContracts } from '../../../../contracts/bills'
import { approveBill } from '../../../../domain/purchases/bills'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(billContracts.approveBill, async (_event, { params, tenant, actor, write }) =>
  write(tx => approveBill(tx, tenant.id, actor, params.id)))
