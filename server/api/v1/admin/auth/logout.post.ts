import { tenantContracts } from '../../../../contracts/tenants'
import { markSessionsRevoked } from '../../../../domain/identity/sessions'
import { defineApiHandler } from '../../../../utils/api'
import { clearSessionCookies } from '../../../../utils/cookies'

/** Signs the admin out: the session's access token is refused from the next request on. */
export default defineApiHandler(tenantContracts.adminLogout, async (event) => {
  const auth = event.context.auth
  if (auth?.kind === 'admin') await markSessionsRevoked([auth.sessionId])
  clearSessionCookies(event)
  return { ok: true as const }
})
