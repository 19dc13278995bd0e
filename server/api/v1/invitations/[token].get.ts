import { invitationContracts } from '../../../contracts/invitations'
import { describeInvitation, invitedAccount, openInvitation } from '../../../domain/identity/invitations'
import { defineApiHandler } from '../../../utils/api'
import { platformUnit } from '../../../utils/tenant-write'

/** The invitation is read in the tenant; whether its e-mail has an account, as the platform. */
export default defineApiHandler(invitationContracts.get, async (event, { params, read }) => {
  const found = await read(tx => openInvitation(tx, params.token))
  const account = await platformUnit(event, invitationContracts.get).read(tx => invitedAccount(tx, found.email))
  return describeInvitation(found, account)
})
