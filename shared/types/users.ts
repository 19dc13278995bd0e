import type { z } from 'zod'
import type { CreateUserBody, UserResource } from '../../server/contracts/users'

/**
 * A member of the tenant (`GET /api/v1/users`). `invited`: a pending invitation, showing only the
 * e-mail and name the admin typed; `active` once accepted, under the account's own id and name.
 */
export type TenantUser = z.output<typeof UserResource>
/** The body of `POST /api/v1/users` (an invitation). */
export type NewTenantUser = z.input<typeof CreateUserBody>
