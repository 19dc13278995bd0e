/**
 * ENTRY POINTS (server/domain/README.md) of the platform admins, each opening its own platform
 * transaction because no route's unit of work exists yet: `bootstrapAdmin` at start-up
 * (server/boot/startup.ts) and `findAdmin` for the request authentication
 * (server/middleware/02.auth.ts).
 */
import { eq } from 'drizzle-orm'
import { platformAdmins } from '../../../db/schema'
import { withPlatform } from '../../../db/tenant'
import { hashPassword, verifyPassword } from '../identity/passwords'
import type { PlatformAdmin } from './admins'

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

/** The admin behind a verified back-office access token, or null. */
export async function findAdmin(id: string): Promise<PlatformAdmin | null> {
  const [row] = await withPlatform(({ tx }) => tx.select({ id: platformAdmins.id, email: platformAdmins.email, name: platformAdmins.name })
    .from(platformAdmins).where(eq(platformAdmins.id, id)))
  return row ?? null
}
