import { invitationContracts } from '../../../../contracts/invitations'
import { confirmPasswordReset } from '../../../../domain/identity/password-resets'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(invitationContracts.confirmReset, async (_event, { body, tenant, actor }) => {
  await confirmPasswordReset(tenant.id, body.token, body.password, actor)
  return { ok: true as const }
})
