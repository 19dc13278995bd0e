import { tenantContracts } from '../../../../contracts/tenants'
import { useConfig } from '../../../../core/config'
import { ACCESS_TOKEN_TTL_SECONDS, PLATFORM_AUDIENCE, signAccessToken } from '../../../../domain/identity/tokens'
import { signInAdmin } from '../../../../domain/platform/admins'
import { defineApiHandler } from '../../../../utils/api'
import { setSessionCookies } from '../../../../utils/cookies'
import { fail } from '../../../../utils/errors'
import { actorOf } from '../../../../utils/guards'
import { beforeLoginAttempt, recordLoginFailure, recordLoginSuccess } from '../../../../utils/throttle'

export default defineApiHandler(tenantContracts.adminLogin, async (event, { body }) => {
  if (event.context.site?.kind !== 'admin') fail(404, 'NOT_FOUND', 'Not found')
  const ip = event.context.clientIp
  await beforeLoginAttempt('platform', body.email, ip)
  const admin = await signInAdmin(body.email, body.password, actorOf(event)).catch(async (err) => {
    await recordLoginFailure('platform', body.email, ip)
    throw err
  })
  await recordLoginSuccess('platform', body.email, ip)
  const accessToken = await signAccessToken(useConfig().jwtSecret, { sub: admin.id, aud: PLATFORM_AUDIENCE, roles: ['platform_admin'] })
  setSessionCookies(event, accessToken)
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, admin }
})
