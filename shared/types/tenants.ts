import type { z } from 'zod'
import type { TenantResource } from '../../server/contracts/tenants'

/** A tenant as the back-office sees it, with its member count. */
export type AdminTenant = z.output<typeof TenantResource>
export type TenantStatus = AdminTenant['status']
