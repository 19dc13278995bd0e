import { tenantContracts } from '../../contracts/tenants'
import { dispatchMail } from '../../domain/mail/outbox'
import { requestSignup } from '../../domain/tenancy/signups'
import { defineApiHandler } from '../../utils/api'
import { checkSignupRate } from '../../utils/throttle'

/** Stores the sign-up and mails its link; the organisation is created only when that link is followed. */
export default defineApiHandler(tenantContracts.signup, async (event, { body }) => {
  await checkSignupRate(event.context.clientIp)
  const { mailId } = await requestSignup(body)
  await dispatchMail(null, mailId)
  return { status: 'pending' as const }
})
