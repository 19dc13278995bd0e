import { invitationContracts } from '../../../contracts/invitations'
import { describeInvitation } from '../../../domain/identity/invitations'
import { defineApiHandler } from '../../../utils/api'
import { requireTenant } from '../../../utils/guards'

export default defineApiHandler(invitationContracts.get, async (event, { params }) => {
  const tenant = requireTenant(event)
  return describeInvitation(tenant.id, params.token)
})
