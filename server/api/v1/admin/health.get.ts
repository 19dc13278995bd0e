import { operationsContracts } from '../../../contracts/operations'
import { systemHealth } from '../../../domain/platform/health'
import { defineApiHandler } from '../../../utils/api'
import { requireAdmin } from '../../../utils/guards'

export default defineApiHandler(operationsContracts.health, async (event) => {
  requireAdmin(event)
  return systemHealth()
})
