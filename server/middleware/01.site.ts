import { defineEventHandler } from 'h3'
import { useConfig } from '../core/config'
import { classifyHost } from '../domain/tenancy/slug'
import { findTenantBySlug } from '../domain/tenancy/lookup'
import { fail } from '../utils/errors'

/** Answer on any host (bare IPs included) without tenant resolution or auth. */
const HOSTLESS = new Set(['/api/health', '/api/ready'])
const isInternal = (path: string) => path.startsWith('/_nuxt/') || path.startsWith('/__nuxt_error') || path === '/favicon.svg' || path === '/favicon.ico'

/**
 * Resolves the host into the site being served: the apex (landing and sign-up), the back-office
 * (`admin.`) or a tenant. Unknown hosts and tenants are 404; a suspended tenant is 403 from its
 * very next request (the tenant cache entry is cleared when its status changes).
 */
export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]!
  if (HOSTLESS.has(path) || isInternal(path)) return
  const host = classifyHost(event.context.host, useConfig().baseDomain)
  if (host.kind === 'ip' || host.kind === 'unknown') fail(404, 'UNKNOWN_HOST', 'Unknown host')
  if (host.kind !== 'tenant') {
    event.context.site = { kind: host.kind }
    return
  }
  const tenant = await findTenantBySlug(host.slug)
  if (!tenant) fail(404, 'TENANT_NOT_FOUND', 'No organisation lives at this address')
  if (tenant.status === 'suspended') fail(403, 'TENANT_SUSPENDED', 'This organisation is suspended; contact support')
  event.context.site = {
    kind: 'tenant',
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status, baseCurrency: tenant.baseCurrency, fiscalYearStartMonth: tenant.fiscalYearStartMonth },
  }
})
