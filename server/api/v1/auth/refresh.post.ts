import { authContracts } from '../../../contracts/auth'
import { UnauthenticatedError } from '../../../domain/errors'
import { issueTokens } from '../../../domain/identity/issuing'
import { rotateRefresh } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { readSessionCookie, setSessionCookies } from '../../../utils/cookies'

export default defineApiHandler(authContracts.refresh, async (event, { body, tenant }) => {
  const presented = body.refreshToken ?? readSessionCookie(event, 'rt')
  if (!presented) throw new UnauthenticatedError('No refresh token', 'INVALID_REFRESH_TOKEN')
  const session = await rotateRefresh(tenant.id, presented)
  const tokens = await issueTokens({ kind: 'tenant', tenantId: tenant.id, session })
  setSessionCookies(event, tokens.accessToken, tokens.refreshToken)
  return { ...tokens, user: session.user }
})
