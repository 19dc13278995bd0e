import { authContracts } from '../../../contracts/auth'
import { UnauthenticatedError } from '../../../domain/errors'
import { issueTokens } from '../../../domain/identity/issuing'
import { invalidRefreshToken, rotateRefresh } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { readSessionCookie, setSessionCookies } from '../../../utils/cookies'

export default defineApiHandler(authContracts.refresh, async (event, { body, tenant, write }) => {
  const presented = body.refreshToken ?? readSessionCookie(event, 'rt')
  if (!presented) throw new UnauthenticatedError('No refresh token', 'INVALID_REFRESH_TOKEN')
  // Refused after the commit: a reused token's family stays revoked.
  const session = await write((tx, unit) => rotateRefresh(tx, unit, tenant.id, presented))
  if (!session) throw invalidRefreshToken()
  const tokens = await issueTokens({ kind: 'tenant', tenantId: tenant.id, session })
  setSessionCookies(event, tokens.accessToken, tokens.refreshToken)
  return { ...tokens, user: session.user }
})
