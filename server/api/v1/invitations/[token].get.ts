import { invitationContracts } from '../../../contracts/invitations'
import { describeInvitation } from '../../../domain/identity/invitations'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(invitationContracts.get, async (_event, { params, tenant }) => describeInvitation(tenant.id, params.token))
