import { authContracts } from '../../../contracts/auth'
import { changeOwnPassword } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(authContracts.changePassword, async (event, { body, tenant, principal, actor }) => {
  const auth = event.context.auth!
  // Every other session of this person ends; the one making the change stays signed in.
  await changeOwnPassword(tenant.id, { ...actor, id: principal.user.id }, body.currentPassword, body.newPassword, auth.sessionId)
  return { ok: true as const }
})
