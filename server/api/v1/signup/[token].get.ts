import { tenantContracts } from '../../../contracts/tenants'
import { describeSignup } from '../../../domain/tenancy/signups'
import { defineApiHandler } from '../../../utils/api'
import { fail } from '../../../utils/errors'

export default defineApiHandler(tenantContracts.getSignup, async (event, { params }) => {
  if (event.context.site?.kind !== 'apex') fail(404, 'NOT_FOUND', 'Sign-up is on the main site')
  return describeSignup(params.token)
})
