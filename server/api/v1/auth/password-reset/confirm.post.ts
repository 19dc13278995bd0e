import { invitationContracts } from '../../../../contracts/invitations'
import { confirmPasswordReset, openReset } from '../../../../domain/identity/password-resets'
import { prepareNewPassword } from '../../../../domain/identity/sessions'
import { defineApiHandler } from '../../../../utils/api'
import { platformUnit } from '../../../../utils/tenant-write'

/**
 * The token is checked in the tenant, the password hashed outside any transaction, then the reset
 * runs in a platform transaction: it revokes the person's sessions in their other tenants too.
 */
export default defineApiHandler(invitationContracts.confirmReset, async (event, { body, tenant, actor, read }) => {
  const found = await read(tx => openReset(tx, body.token))
  const passwordHash = await prepareNewPassword(body.password, 'password')
  await platformUnit(event, invitationContracts.confirmReset).write((p, unit) =>
    confirmPasswordReset(p, unit, tenant.id, found.userId, body.token, passwordHash, actor))
  return { ok: true as const }
})
