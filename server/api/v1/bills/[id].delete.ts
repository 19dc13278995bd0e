import { billContracts } from '../../../contracts/bills'
import { deleteBill } from '../../../domain/purchases/bills'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billContracts.deleteBill, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteBill(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
