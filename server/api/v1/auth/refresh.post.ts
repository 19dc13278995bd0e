import { authContracts } from '../../../contracts/auth'
import { useConfig } from '../../../core/config'
import { UnauthenticatedError } from '../../../domain/errors'
import { rotateRefresh } from '../../../domain/identity/sessions'
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../../domain/identity/tokens'
import { defineApiHandler } from '../../../utils/api'
import { readSessionCookie, setSessionCookies } from '../../../utils/cookies'
import { requireTenant } from '../../../utils/guards'

export default defineApiHandler(authContracts.refresh, async (event, { body }) => {
  const tenant = requireTenant(event)
  const presented = body.refreshToken ?? readSessionCookie(event, 'rt')
  if (!presented) throw new UnauthenticatedError('No refresh token', 'INVALID_REFRESH_TOKEN')
  const session = await rotateRefresh(tenant.id, presented)
  const accessToken = await signAccessToken(useConfig().jwtSecret, { sub: session.user.id, aud: tenant.id, sid: session.sessionId, roles: session.roles })
  setSessionCookies(event, accessToken, session.refresh.token)
  return { accessToken, refreshToken: session.refresh.token, expiresIn: ACCESS_TOKEN_TTL_SECONDS, user: session.user }
})
