import { invitationContracts } from '../../../../contracts/invitations'
import { resendInvitation } from '../../../../domain/identity/invitations'
import { collectMail } from '../../../../domain/mail/outbox'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requirePermission } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(invitationContracts.resend, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'users:manage')
  const outbox = collectMail()
  const invitation = await tenantWrite(event, tx => resendInvitation(tx, tenant.id, actorOf(event), params.id, outbox), { status: 201 })
  await outbox.dispatch()
  return invitation
})
