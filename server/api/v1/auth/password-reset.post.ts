import { invitationContracts } from '../../../contracts/invitations'
import { checkPasswordResetRate, requestPasswordReset } from '../../../domain/identity/password-resets'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(invitationContracts.requestReset, async (event, { body, tenant, actor, write }) => {
  await checkPasswordResetRate(tenant.id, body.email, event.context.clientIp)
  await write((tx, unit) => requestPasswordReset(tx, unit.mail, tenant.id, body.email, actor))
  return { ok: true as const }
})
