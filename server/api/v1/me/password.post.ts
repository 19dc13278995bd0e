import { authContracts } from '../../../contracts/auth'
import { changeOwnPassword, prepareNewPassword } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { platformUnit } from '../../../utils/tenant-write'

/**
 * Every other session of this person ends, in every tenant they belong to, so the change runs in a
 * platform transaction (which enters this tenant as the member); the session making it stays.
 */
export default defineApiHandler(authContracts.changePassword, async (event, { body, tenant, principal, actor }) => {
  const auth = event.context.auth!
  const passwordHash = await prepareNewPassword(body.newPassword, 'newPassword', 'new password')
  await platformUnit(event, authContracts.changePassword).write((p, unit) =>
    changeOwnPassword(p, unit, tenant.id, { ...actor, id: principal.user.id }, body.currentPassword, passwordHash, auth.sessionId))
  return { ok: true as const }
})
