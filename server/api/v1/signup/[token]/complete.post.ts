import { tenantContracts } from '../../../../contracts/tenants'
import { DomainError } from '../../../../domain/errors'
import { sha256 } from '../../../../domain/identity/tokens'
import { completeSignup } from '../../../../domain/tenancy/signups'
import { defineApiHandler } from '../../../../utils/api'
import { beginLoginAttempt } from '../../../../utils/throttle'

/**
 * An existing account's password is checked here, so guesses count like sign-in attempts (per
 * sign-up link and client IP); a wrong password, like any refusal, creates nothing and leaves the
 * link usable.
 */
export default defineApiHandler(tenantContracts.completeSignup, async (event, { params, body, actor }) => {
  const attempt = await beginLoginAttempt({ scope: 'signup', email: sha256(params.token), ip: event.context.clientIp })
  return completeSignup(params.token, body.password, actor).catch(async (err: unknown) => {
    if (err instanceof DomainError && err.code === 'WRONG_PASSWORD') await attempt.failed()
    throw err
  })
})
