import { authContracts } from '../../../contracts/auth'
import { listOrganisations } from '../../../domain/identity/handoff'
import { defineApiHandler } from '../../../utils/api'
import { platformUnit } from '../../../utils/tenant-write'

/**
 * The person's memberships in other tenants are invisible under this tenant's row-level security:
 * the list is a platform read of the signed-in person's own memberships only (handoff.ts says why
 * that is allowed).
 */
export default defineApiHandler(authContracts.listOrganisations, async (event, { principal, tenant }) => ({
  data: await platformUnit(event, authContracts.listOrganisations).read(tx => listOrganisations(tx, principal.user.id, tenant.id)),
}))
