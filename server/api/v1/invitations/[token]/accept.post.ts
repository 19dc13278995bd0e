import { invitationContracts } from '../../../../contracts/invitations'
import { DomainError } from '../../../../domain/errors'
import { acceptInvitation } from '../../../../domain/identity/invitations'
import { sha256 } from '../../../../domain/identity/tokens'
import { defineApiHandler } from '../../../../utils/api'
import { beginLoginAttempt } from '../../../../utils/throttle'

/**
 * An existing account's password is checked here, so guesses count like sign-in attempts (per
 * invitation link and client IP); a wrong password changes nothing and leaves the link usable.
 */
export default defineApiHandler(invitationContracts.accept, async (event, { params, body, tenant, actor }) => {
  const attempt = await beginLoginAttempt({ scope: 'invitation', email: sha256(params.token), ip: event.context.clientIp })
  await acceptInvitation(tenant.id, params.token, body, actor).catch(async (err: unknown) => {
    if (err instanceof DomainError && err.code === 'WRONG_PASSWORD') await attempt.failed()
    throw err
  })
  return { ok: true as const }
})
