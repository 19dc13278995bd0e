import { invitationContracts } from '../../../../contracts/invitations'
import { acceptInvitation } from '../../../../domain/identity/invitations'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireTenant } from '../../../../utils/guards'

export default defineApiHandler(invitationContracts.accept, async (event, { params, body }) => {
  const tenant = requireTenant(event)
  await acceptInvitation(tenant.id, params.token, body, actorOf(event))
  return { ok: true as const }
})
