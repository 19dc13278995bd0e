import { tenantContracts } from '../../../../contracts/tenants'
import { log } from '../../../../core/log'
import { issueTokens } from '../../../../domain/identity/issuing'
import { signInAdmin } from '../../../../domain/platform/admins'
import { defineApiHandler } from '../../../../utils/api'
import { readSessionCookie, setDeviceCookie, setSessionCookies } from '../../../../utils/cookies'
import { beginLoginAttempt, DEVICE_COOKIE_SECONDS } from '../../../../utils/throttle'

/**
 * Back-office sign-in, throttled like tenant sign-in. Platform admins have no tenant mail outbox,
 * so a used-up account budget is logged as a warning for the operators instead of mailed.
 */
export default defineApiHandler(tenantContracts.adminLogin, async (event, { body, actor }) => {
  const attempt = await beginLoginAttempt({ scope: 'platform', email: body.email, ip: event.context.clientIp, deviceId: readSessionCookie(event, 'device') })
  const admin = await signInAdmin(body.email, body.password, actor).catch(async (err) => {
    const { accountLocked } = await attempt.failed()
    if (accountLocked) log.warn('back-office sign-in attempts paused for an account after repeated failures', { ip: event.context.clientIp, requestId: event.context.requestId })
    throw err
  })
  setDeviceCookie(event, await attempt.succeeded(), DEVICE_COOKIE_SECONDS)
  const { accessToken, expiresIn } = await issueTokens({ kind: 'platform', adminId: admin.id })
  setSessionCookies(event, accessToken)
  return { accessToken, expiresIn, admin }
})
