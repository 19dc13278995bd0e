import { randomUUID } from 'node:crypto'
import { tenantContracts } from '../../../../contracts/tenants'
import { useConfig } from '../../../../core/config'
import { log } from '../../../../core/log'
import { ACCESS_TOKEN_TTL_SECONDS, PLATFORM_AUDIENCE, signAccessToken } from '../../../../domain/identity/tokens'
import { signInAdmin } from '../../../../domain/platform/admins'
import { defineApiHandler } from '../../../../utils/api'
import { readSessionCookie, setDeviceCookie, setSessionCookies } from '../../../../utils/cookies'
import { fail } from '../../../../utils/errors'
import { actorOf } from '../../../../utils/guards'
import { beginLoginAttempt, DEVICE_COOKIE_SECONDS } from '../../../../utils/throttle'

/**
 * Back-office sign-in, throttled like tenant sign-in. Platform admins have no tenant mail outbox,
 * so a used-up account budget is logged as a warning for the operators instead of mailed.
 */
export default defineApiHandler(tenantContracts.adminLogin, async (event, { body }) => {
  if (event.context.site?.kind !== 'admin') fail(404, 'NOT_FOUND', 'Not found')
  const attempt = await beginLoginAttempt({ scope: 'platform', email: body.email, ip: event.context.clientIp, deviceId: readSessionCookie(event, 'device') })
  const admin = await signInAdmin(body.email, body.password, actorOf(event)).catch(async (err) => {
    const { accountLocked } = await attempt.failed()
    if (accountLocked) log.warn('back-office sign-in attempts paused for an account after repeated failures', { ip: event.context.clientIp, requestId: event.context.requestId })
    throw err
  })
  setDeviceCookie(event, await attempt.succeeded(), DEVICE_COOKIE_SECONDS)
  // Back-office sessions have no refresh token; the id lets sign-out revoke the access token.
  const accessToken = await signAccessToken(useConfig().jwtSecret, { sub: admin.id, aud: PLATFORM_AUDIENCE, sid: randomUUID(), roles: ['platform_admin'] })
  setSessionCookies(event, accessToken)
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, admin }
})
