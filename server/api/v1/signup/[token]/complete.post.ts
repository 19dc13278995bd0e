import { tenantContracts } from '../../../../contracts/tenants'
import { DomainError } from '../../../../domain/errors'
import { sha256 } from '../../../../domain/identity/tokens'
import { completeSignup, findSignup, prepareSignupOwner } from '../../../../domain/tenancy/signups'
import { defineApiHandler } from '../../../../utils/api'
import { beginLoginAttempt } from '../../../../utils/throttle'

/**
 * An existing account's password is checked here, so guesses count like sign-in attempts (per
 * sign-up link and client IP); a wrong password, like any refusal, creates nothing and leaves the
 * link usable. The link is read, the password checked outside any transaction, then the tenant is
 * created in one platform unit of work.
 */
export default defineApiHandler(tenantContracts.completeSignup, async (event, { params, body, actor, read, write }) => {
  const attempt = await beginLoginAttempt({ scope: 'signup', email: sha256(params.token), ip: event.context.clientIp })
  const complete = async () => {
    const found = await read(tx => findSignup(tx, params.token))
    const newPasswordHash = await prepareSignupOwner(found, body.password)
    return write(p => completeSignup(p, params.token, found, newPasswordHash, actor))
  }
  return complete().catch(async (err: unknown) => {
    if (err instanceof DomainError && err.code === 'WRONG_PASSWORD') await attempt.failed()
    throw err
  })
})
