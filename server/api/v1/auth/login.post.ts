import { authContracts } from '../../../contracts/auth'
import { issueTokens } from '../../../domain/identity/issuing'
import { checkSignIn, findSignInCandidate, notifySignInAttempts, startSession } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { readSessionCookie, setDeviceCookie, setSessionCookies } from '../../../utils/cookies'
import { ACCOUNT_ALERT, beginLoginAttempt, DEVICE_COOKIE_SECONDS } from '../../../utils/throttle'

/** The member is read, the password checked outside any transaction (scrypt is slow), then the session written. */
export default defineApiHandler(authContracts.login, async (event, { body, tenant, actor, read, write }) => {
  const attempt = await beginLoginAttempt({ scope: tenant.id, email: body.email, ip: event.context.clientIp, deviceId: readSessionCookie(event, 'device') })
  const session = await read(tx => findSignInCandidate(tx, body.email))
    .then(found => checkSignIn(found, body.password))
    .then(member => write(tx => startSession(tx, tenant.id, member, actor)))
    .catch(async (err) => {
      const { accountLocked } = await attempt.failed()
      if (accountLocked) await write((tx, unit) => notifySignInAttempts(tx, unit.mail, tenant.id, body.email, ACCOUNT_ALERT, actor))
      throw err
    })
  setDeviceCookie(event, await attempt.succeeded(), DEVICE_COOKIE_SECONDS)
  const tokens = await issueTokens({ kind: 'tenant', tenantId: tenant.id, session })
  setSessionCookies(event, tokens.accessToken, tokens.refreshToken)
  return { ...tokens, user: session.user }
})
