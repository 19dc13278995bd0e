import { getRequestProtocol } from 'h3'
import { tenantContracts } from '../../contracts/tenants'
import { useConfig } from '../../core/config'
import { createTenant } from '../../domain/tenancy/tenants'
import { defineApiHandler } from '../../utils/api'
import { fail } from '../../utils/errors'
import { actorOf } from '../../utils/guards'
import { checkSignupRate } from '../../utils/throttle'

export default defineApiHandler(tenantContracts.signup, async (event, { body }) => {
  if (event.context.site?.kind !== 'apex') fail(404, 'NOT_FOUND', 'Sign-up is on the main site')
  await checkSignupRate(event.context.clientIp)
  const tenant = await createTenant(body, actorOf(event))
  const { baseDomain } = useConfig()
  const port = event.context.host.match(/:(\d+)$/)?.[1]
  const proto = getRequestProtocol(event, { xForwardedProto: useConfig().trustProxy })
  return { tenant, loginUrl: `${proto}://${tenant.slug}.${baseDomain}${port ? `:${port}` : ''}/login` }
})
