import { tenantContracts } from '../../../../contracts/tenants'
import { log } from '../../../../core/log'
import { issueTokens } from '../../../../domain/identity/issuing'
import { checkAdminSignIn, findAdminCredentials, recordAdminSignIn } from '../../../../domain/platform/admins'
import { defineApiHandler } from '../../../../utils/api'
import { readSessionCookie, setDeviceCookie, setSessionCookies } from '../../../../utils/cookies'
import { beginLoginAttempt, DEVICE_COOKIE_SECONDS } from '../../../../utils/throttle'

/**
 * Back-office sign-in, throttled like tenant sign-in. Platform admins have no tenant mail outbox,
 * so a used-up account budget is logged as a warning for the operators instead of mailed. The
 * admin is read, the password checked outside any transaction, then the sign-in audited.
 */
export default defineApiHandler(tenantContracts.adminLogin, async (event, { body, actor, read, write }) => {
  const attempt = await beginLoginAttempt({ scope: 'platform', email: body.email, ip: event.context.clientIp, deviceId: readSessionCookie(event, 'device') })
  const admin = await read(tx => findAdminCredentials(tx, body.email))
    .then(found => checkAdminSignIn(found, body.password))
    .then(checked => write(({ tx }) => recordAdminSignIn(tx, checked, actor)))
    .catch(async (err) => {
      const { accountLocked } = await attempt.failed()
      if (accountLocked) log.warn('back-office sign-in attempts paused for an account after repeated failures', { ip: event.context.clientIp, requestId: event.context.requestId })
      throw err
    })
  setDeviceCookie(event, await attempt.succeeded(), DEVICE_COOKIE_SECONDS)
  const { accessToken, expiresIn } = await issueTokens({ kind: 'platform', adminId: admin.id })
  setSessionCookies(event, accessToken)
  return { accessToken, expiresIn, admin }
})
