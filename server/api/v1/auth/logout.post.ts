import { authContracts } from '../../../contracts/auth'
import { signOut } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { clearSessionCookies, readSessionCookie } from '../../../utils/cookies'

/** Ends the caller's session (its access token too) and the presented refresh token's session. */
export default defineApiHandler(authContracts.logout, async (event, { body, tenant, actor, write }) => {
  const auth = event.context.auth
  await write((tx, unit) => signOut(tx, unit, tenant.id, body.refreshToken ?? readSessionCookie(event, 'rt'), actor, auth?.kind === 'user' ? auth.sessionId : undefined))
  clearSessionCookies(event)
  return { ok: true as const }
})
