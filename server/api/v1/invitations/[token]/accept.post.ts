import { invitationContracts } from '../../../../contracts/invitations'
import { DomainError } from '../../../../domain/errors'
import { acceptInvitation, invitedAccount, openInvitation, prepareAcceptance } from '../../../../domain/identity/invitations'
import { sha256 } from '../../../../domain/identity/tokens'
import { defineApiHandler } from '../../../../utils/api'
import { beginLoginAttempt } from '../../../../utils/throttle'
import { platformUnit } from '../../../../utils/tenant-write'

/**
 * An existing account's password is checked here, so guesses count like sign-in attempts (per
 * invitation link and client IP); a wrong password changes nothing and leaves the link usable.
 * The invitation is read in the tenant, the invited account as the platform (the tenant cannot see
 * it), the password checked outside any transaction, then the acceptance is one unit of work.
 */
export default defineApiHandler(invitationContracts.accept, async (event, { params, body, tenant, actor, read, write }) => {
  const attempt = await beginLoginAttempt({ scope: 'invitation', email: sha256(params.token), ip: event.context.clientIp })
  const accept = async () => {
    const found = await read(tx => openInvitation(tx, params.token))
    const account = await platformUnit(event, invitationContracts.accept).read(tx => invitedAccount(tx, found.email))
    const acceptor = await prepareAcceptance(found, account, body)
    await write((tx, unit) => acceptInvitation(tx, unit, tenant.id, params.token, acceptor, actor))
  }
  await accept().catch(async (err: unknown) => {
    if (err instanceof DomainError && err.code === 'WRONG_PASSWORD') await attempt.failed()
    throw err
  })
  return { ok: true as const }
})
