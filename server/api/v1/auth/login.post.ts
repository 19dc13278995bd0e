import { authContracts } from '../../../contracts/auth'
import { useConfig } from '../../../core/config'
import { signIn } from '../../../domain/identity/sessions'
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../../domain/identity/tokens'
import { defineApiHandler } from '../../../utils/api'
import { setSessionCookies } from '../../../utils/cookies'
import { actorOf, requireTenant } from '../../../utils/guards'
import { beforeLoginAttempt, recordLoginFailure, recordLoginSuccess } from '../../../utils/throttle'

export default defineApiHandler(authContracts.login, async (event, { body }) => {
  const tenant = requireTenant(event)
  const ip = event.context.clientIp
  await beforeLoginAttempt(tenant.id, body.email, ip)
  const session = await signIn(tenant.id, body.email, body.password, actorOf(event)).catch(async (err) => {
    await recordLoginFailure(tenant.id, body.email, ip)
    throw err
  })
  await recordLoginSuccess(tenant.id, body.email, ip)
  const accessToken = await signAccessToken(useConfig().jwtSecret, { sub: session.user.id, aud: tenant.id, roles: session.roles })
  setSessionCookies(event, accessToken, session.refresh.token)
  return { accessToken, refreshToken: session.refresh.token, expiresIn: ACCESS_TOKEN_TTL_SECONDS, user: session.user }
})
