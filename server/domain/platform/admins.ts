/** Platform administrators (the back-office): bootstrap from configuration and sign-in. */
import { eq } from 'drizzle-orm'
import { platformAdmins, platformAuditEvents } from '../../../db/schema'
import { withPlatform } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { UnauthenticatedError } from '../errors'
import { burnPasswordCheck, hashPassword, verifyPassword } from '../identity/passwords'

export interface PlatformAdmin { id: string, email: string, name: string }

/**
 * Makes sure the configured admin exists and signs in with the configured password. Runs at every
 * start, so rotating ADMIN_PASSWORD in the environment rotates the account's password.
 */
export async function bootstrapAdmin(email: string, password: string): Promise<{ created: boolean }> {
  return withPlatform(async ({ tx }) => {
    const [existing] = await tx.select().from(platformAdmins).where(eq(platformAdmins.email, email))
    if (!existing) {
      await tx.insert(platformAdmins).values({ email, name: 'Platform administrator', passwordHash: await hashPassword(password) })
      return { created: true }
    }
    if (!await verifyPassword(password, existing.passwordHash)) {
      await tx.update(platformAdmins).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(platformAdmins.id, existing.id))
    }
    return { created: false }
  })
}

export async function signInAdmin(email: string, password: string, actor: Omit<Actor, 'type'>): Promise<PlatformAdmin> {
  const [admin] = await withPlatform(({ tx }) => tx.select().from(platformAdmins).where(eq(platformAdmins.email, email.toLowerCase())))
  if (!admin) {
    await burnPasswordCheck(password)
    throw new UnauthenticatedError('E-mail or password is wrong', 'INVALID_CREDENTIALS')
  }
  if (!await verifyPassword(password, admin.passwordHash)) throw new UnauthenticatedError('E-mail or password is wrong', 'INVALID_CREDENTIALS')
  await recordPlatformAudit({ ...actor, type: 'admin', id: admin.id }, 'admin.login', 'platform_admin', admin.id)
  return { id: admin.id, email: admin.email, name: admin.name }
}

export async function findAdmin(id: string): Promise<PlatformAdmin | null> {
  const [row] = await withPlatform(({ tx }) => tx.select({ id: platformAdmins.id, email: platformAdmins.email, name: platformAdmins.name })
    .from(platformAdmins).where(eq(platformAdmins.id, id)))
  return row ?? null
}

/** Back-office actions and cross-tenant reads go to the platform audit log. */
export async function recordPlatformAudit(actor: Actor, action: string, entityType: string, entityId?: string, details?: unknown) {
  await withPlatform(({ tx }) => tx.insert(platformAuditEvents).values({
    adminId: actor.id, action, entityType, entityId, details: details ?? null, requestId: actor.requestId, ip: actor.ip,
  }))
}
