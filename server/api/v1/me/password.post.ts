import { authContracts } from '../../../contracts/auth'
import { changeOwnPassword } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requireUser } from '../../../utils/guards'

export default defineApiHandler(authContracts.changePassword, async (event, { body }) => {
  const { tenant, user } = requireUser(event)
  await changeOwnPassword(tenant.id, { ...actorOf(event), id: user.id }, body.currentPassword, body.newPassword)
  return { ok: true as const }
})
