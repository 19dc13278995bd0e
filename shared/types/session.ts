import type { z } from 'zod'
import type { MeResponse, OrganisationResource, SessionUser as SessionUserSchema } from '../../server/contracts/auth'
import type { NotificationResource } from '../../server/contracts/notifications'

/** A signed-in person: a tenant member's account or a platform admin. */
export type SessionUser = z.output<typeof SessionUserSchema>
/** `GET /api/v1/me` on a tenant host. */
export type TenantMe = z.output<typeof MeResponse>
export type SessionTenant = TenantMe['tenant']
/** One of the person's organisations, as `GET /api/v1/me/organisations` lists them (the account menu's switcher). */
export type MyOrganisation = z.output<typeof OrganisationResource>

/** One in-app notification, as `GET /api/v1/notifications` and the live stream send it. */
export type AppNotification = z.output<typeof NotificationResource>
