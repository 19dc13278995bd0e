import { invitationContracts } from '../../../../contracts/invitations'
import { confirmPasswordReset } from '../../../../domain/identity/password-resets'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireTenant } from '../../../../utils/guards'

export default defineApiHandler(invitationContracts.confirmReset, async (event, { body }) => {
  const tenant = requireTenant(event)
  await confirmPasswordReset(tenant.id, body.token, body.password, actorOf(event))
  return { ok: true as const }
})
