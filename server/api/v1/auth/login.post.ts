import { authContracts } from '../../../contracts/auth'
import { useConfig } from '../../../core/config'
import { notifySignInAttempts, signIn } from '../../../domain/identity/sessions'
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../../domain/identity/tokens'
import { defineApiHandler } from '../../../utils/api'
import { readSessionCookie, setDeviceCookie, setSessionCookies } from '../../../utils/cookies'
import { actorOf, requireTenant } from '../../../utils/guards'
import { ACCOUNT_ALERT, beginLoginAttempt, DEVICE_COOKIE_SECONDS } from '../../../utils/throttle'

export default defineApiHandler(authContracts.login, async (event, { body }) => {
  const tenant = requireTenant(event)
  const attempt = await beginLoginAttempt({ scope: tenant.id, email: body.email, ip: event.context.clientIp, deviceId: readSessionCookie(event, 'device') })
  const session = await signIn(tenant.id, body.email, body.password, actorOf(event)).catch(async (err) => {
    const { accountLocked } = await attempt.failed()
    if (accountLocked) await notifySignInAttempts(tenant.id, body.email, ACCOUNT_ALERT, actorOf(event))
    throw err
  })
  setDeviceCookie(event, await attempt.succeeded(), DEVICE_COOKIE_SECONDS)
  const accessToken = await signAccessToken(useConfig().jwtSecret, { sub: session.user.id, aud: tenant.id, sid: session.sessionId, roles: session.roles })
  setSessionCookies(event, accessToken, session.refresh.token)
  return { accessToken, refreshToken: session.refresh.token, expiresIn: ACCESS_TOKEN_TTL_SECONDS, user: session.user }
})
