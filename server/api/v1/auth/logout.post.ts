import { authContracts } from '../../../contracts/auth'
import { signOut } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { clearSessionCookies, readSessionCookie } from '../../../utils/cookies'
import { actorOf, requireTenant } from '../../../utils/guards'

export default defineApiHandler(authContracts.logout, async (event, { body }) => {
  const tenant = requireTenant(event)
  await signOut(tenant.id, body.refreshToken ?? readSessionCookie(event, 'rt'), actorOf(event))
  clearSessionCookies(event)
  return { ok: true as const }
})
