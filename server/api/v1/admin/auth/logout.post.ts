import { tenantContracts } from '../../../../contracts/tenants'
import { defineApiHandler } from '../../../../utils/api'
import { clearSessionCookies } from '../../../../utils/cookies'

export default defineApiHandler(tenantContracts.adminLogout, async (event) => {
  clearSessionCookies(event)
  return { ok: true as const }
})
