/**
 * Platform administrators (the back-office): sign-in and the platform audit log. Every function
 * takes the route's platform transaction; the start-up bootstrap and the per-request lookup are the
 * entry points in admin-entry.ts.
 */
import { eq } from 'drizzle-orm'
import { platformAdmins, platformAuditEvents } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { UnauthenticatedError } from '../errors'
import { burnPasswordCheck, verifyPassword } from '../identity/passwords'

export interface PlatformAdmin { id: string, email: string, name: string }

const invalidCredentials = () => new UnauthenticatedError('E-mail or password is wrong', 'INVALID_CREDENTIALS')

/** Back-office sign-in, step 1, in a platform read: the admin with this e-mail, if any. */
export async function findAdminCredentials(tx: Tx, email: string): Promise<(PlatformAdmin & { passwordHash: string }) | undefined> {
  const [admin] = await tx.select({ id: platformAdmins.id, email: platformAdmins.email, name: platformAdmins.name, passwordHash: platformAdmins.passwordHash })
    .from(platformAdmins).where(eq(platformAdmins.email, email.toLowerCase()))
  return admin
}

/**
 * Back-office sign-in, step 2, outside any transaction (scrypt is slow): an unknown e-mail gets the
 * same 401 as a wrong password, after the same amount of hashing work.
 */
export async function checkAdminSignIn(admin: (PlatformAdmin & { passwordHash: string }) | undefined, password: string): Promise<PlatformAdmin> {
  if (!admin) {
    await burnPasswordCheck(password)
    throw invalidCredentials()
  }
  if (!await verifyPassword(password, admin.passwordHash)) throw invalidCredentials()
  return { id: admin.id, email: admin.email, name: admin.name }
}

/** Back-office sign-in, step 3, in the route's platform unit of work: the `admin.login` audit event. */
export async function recordAdminSignIn(tx: Tx, admin: PlatformAdmin, actor: Omit<Actor, 'type'>): Promise<PlatformAdmin> {
  await recordPlatformAudit(tx, { ...actor, type: 'admin', id: admin.id }, 'admin.login', 'platform_admin', admin.id)
  return admin
}

/** Back-office actions and cross-tenant reads go to the platform audit log (in the caller's platform transaction). */
export async function recordPlatformAudit(tx: Tx, actor: Actor, action: string, entityType: string, entityId?: string, details?: unknown): Promise<void> {
  await tx.insert(platformAuditEvents).values({
    adminId: actor.id, action, entityType, entityId, details: details ?? null, requestId: actor.requestId, ip: actor.ip,
  })
}
