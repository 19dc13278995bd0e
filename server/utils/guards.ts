import type { H3Event } from 'h3'
import type { Site } from '../contracts/define'
import type { Actor } from '../domain/audit/audit'
import type { Principal } from '../domain/identity/sessions'
import { hasPermission, type Permission } from '../domain/identity/rbac'
import type { PlatformAdmin } from '../domain/platform/admins'
import type { SiteTenant } from '../types'
import { fail } from './errors'

/** The tenant this request's host names; 404 on any other kind of host. */
export function requireTenant(event: H3Event): SiteTenant {
  const tenant = event.context.site?.tenant
  if (!tenant) fail(404, 'NOT_FOUND', 'Not found')
  return tenant
}

/** 404 NOT_FOUND unless this request's host is of the kind `site` names (e.g. sign-up only on the apex host). */
export function requireSite(event: H3Event, site: Site): void {
  if (site === 'tenant') requireTenant(event)
  else if (event.context.site?.kind !== site) fail(404, 'NOT_FOUND', site === 'apex' ? 'Sign-up is on the main site' : 'Not found')
}

/** The signed-in member of this tenant; 401 otherwise. */
export function requireUser(event: H3Event): Principal {
  requireTenant(event)
  const auth = event.context.auth
  if (auth?.kind !== 'user') fail(401, 'UNAUTHENTICATED', 'Authentication required')
  return auth.principal
}

/**
 * The signed-in member, if their roles grant `permission`; 401 when not signed in, 403 when the
 * roles do not allow it.
 */
export function requirePermission(event: H3Event, permission: Permission): Principal {
  const principal = requireUser(event)
  if (!hasPermission(principal.roles, permission)) fail(403, 'FORBIDDEN', `Your role does not allow ${permission}`)
  return principal
}

/** The signed-in platform admin on the admin host; 401 otherwise. */
export function requireAdmin(event: H3Event): PlatformAdmin {
  if (event.context.site?.kind !== 'admin') fail(404, 'NOT_FOUND', 'Not found')
  const auth = event.context.auth
  if (auth?.kind !== 'admin') fail(401, 'UNAUTHENTICATED', 'Authentication required')
  return auth.admin
}

/** Who is acting, with the request facts every audit event records. */
export function actorOf(event: H3Event): Actor & { roles: readonly string[] } {
  const auth = event.context.auth
  const meta = { requestId: event.context.requestId, ip: event.context.clientIp, userAgent: event.node.req.headers['user-agent'] }
  if (auth?.kind === 'user') return { ...meta, type: 'user', id: auth.principal.user.id, roles: auth.principal.roles }
  if (auth?.kind === 'admin') return { ...meta, type: 'admin', id: auth.admin.id, roles: [] }
  return { ...meta, type: 'system', roles: [] }
}
