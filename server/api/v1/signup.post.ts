import { tenantContracts } from '../../contracts/tenants'
import { requestSignup } from '../../domain/tenancy/signups'
import { defineApiHandler } from '../../utils/api'
import { checkSignupRate } from '../../utils/throttle'

/** Stores the sign-up and mails its link (dispatched after the commit); the organisation is created only when that link is followed. */
export default defineApiHandler(tenantContracts.signup, async (event, { body, write }) => {
  await checkSignupRate(event.context.clientIp)
  await write(({ tx }, unit) => requestSignup(tx, unit.mail, body))
  return { status: 'pending' as const }
})
