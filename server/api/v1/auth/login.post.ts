import { authContracts } from '../../../contracts/auth'
import { issueTokens } from '../../../domain/identity/issuing'
import { notifySignInAttempts, signIn } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { readSessionCookie, setDeviceCookie, setSessionCookies } from '../../../utils/cookies'
import { ACCOUNT_ALERT, beginLoginAttempt, DEVICE_COOKIE_SECONDS } from '../../../utils/throttle'

export default defineApiHandler(authContracts.login, async (event, { body, tenant, actor }) => {
  const attempt = await beginLoginAttempt({ scope: tenant.id, email: body.email, ip: event.context.clientIp, deviceId: readSessionCookie(event, 'device') })
  const session = await signIn(tenant.id, body.email, body.password, actor).catch(async (err) => {
    const { accountLocked } = await attempt.failed()
    if (accountLocked) await notifySignInAttempts(tenant.id, body.email, ACCOUNT_ALERT, actor)
    throw err
  })
  setDeviceCookie(event, await attempt.succeeded(), DEVICE_COOKIE_SECONDS)
  const tokens = await issueTokens({ kind: 'tenant', tenantId: tenant.id, session })
  setSessionCookies(event, tokens.accessToken, tokens.refreshToken)
  return { ...tokens, user: session.user }
})
