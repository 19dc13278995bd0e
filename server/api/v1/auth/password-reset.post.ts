import { invitationContracts } from '../../../contracts/invitations'
import { checkPasswordResetRate, requestPasswordReset } from '../../../domain/identity/password-resets'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requireTenant } from '../../../utils/guards'

export default defineApiHandler(invitationContracts.requestReset, async (event, { body }) => {
  const tenant = requireTenant(event)
  await checkPasswordResetRate(tenant.id, body.email, event.context.clientIp)
  await requestPasswordReset(tenant.id, body.email, actorOf(event))
  return { ok: true as const }
})
