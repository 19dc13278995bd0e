import { invitationContracts } from '../../../../contracts/invitations'
import { resendInvitation } from '../../../../domain/identity/invitations'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(invitationContracts.resend, async (_event, { params, tenant, actor, write }) =>
  write((tx, unit) => resendInvitation(tx, tenant.id, actor, params.id, unit.mail)))
