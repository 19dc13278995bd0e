import { userContracts } from '../../../contracts/users'
import { addMember } from '../../../domain/identity/members'
import { collectMail } from '../../../domain/mail/outbox'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(userContracts.create, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'users:manage')
  const outbox = collectMail()
  const member = await tenantWrite(event, tx => addMember(tx, tenant.id, actorOf(event), body, outbox), { status: 201 })
  // The invitation mail is handed to the queue only once the membership has committed.
  await outbox.dispatch()
  return member
})
