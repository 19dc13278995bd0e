/**
 * ENTRY POINT (server/domain/README.md): the host's tenant, for the site middleware
 * (server/middleware/01.site.ts), which runs before any route and so before any unit of work. The
 * answer is cached for 30 s and cleared whenever the tenant changes (`updateTenant`,
 * `forgetTenant`); only a cache miss opens a short platform read of its own.
 */
import { eq } from 'drizzle-orm'
import { tenants } from '../../../db/schema'
import { withPlatform } from '../../../db/tenant'
import { withCache } from '../../core/cache'
import type { Tenant } from './tenants'

const TENANT_CACHE_TTL = 30

/** The cache key of a tenant's lookup by slug (cleared by tenants.ts after a change commits). */
export const tenantSlugKey = (slug: string) => `tenant:slug:${slug}`

/** Looks a tenant up by slug; cached for 30 s and cleared whenever the tenant changes. */
export function findTenantBySlug(slug: string): Promise<Tenant | null> {
  return withCache(tenantSlugKey(slug), TENANT_CACHE_TTL, () =>
    withPlatform(async ({ tx }) => (await tx.select().from(tenants).where(eq(tenants.slug, slug)))[0] ?? null))
}
