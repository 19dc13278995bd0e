import { authContracts } from '../../../contracts/auth'
import { issueHandoff } from '../../../domain/identity/handoff'
import { defineApiHandler } from '../../../utils/api'
import { platformUnit } from '../../../utils/tenant-write'

/**
 * Switching organisation: the membership in the target is read as the platform role (it is not
 * visible from this tenant), then the token is written in the target tenant, one platform unit.
 */
export default defineApiHandler(authContracts.issueHandoff, async (event, { body, principal, tenant, actor }) =>
  platformUnit(event, authContracts.issueHandoff).write(p => issueHandoff(p, principal.user.id, body.slug, { slug: tenant.slug }, actor)))
