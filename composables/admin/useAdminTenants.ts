import type { MaybeRefOrGetter } from 'vue'
import type { PagedList } from '~/composables/useApi'
import type { AdminTenant, TenantStatus } from '#shared/types/tenants'

export type { AdminTenant, TenantStatus } from '#shared/types/tenants'

/** The body of `POST /api/v1/admin/tenants` and `POST /api/v1/signup`. */
export interface TenantSetup {
  slug: string
  name: string
  baseCurrency: string
  fiscalYearStartMonth: number
  chartOfAccounts: 'standard' | 'none'
  owner: { email: string, name: string, password: string }
}

export interface AdminTenantQuery {
  page: number
  pageSize: number
  q?: string
  sort?: string
  status?: TenantStatus
}

export function emptyTenantSetup(): TenantSetup {
  return {
    slug: '',
    name: '',
    baseCurrency: 'USD',
    fiscalYearStartMonth: 1,
    chartOfAccounts: 'standard',
    owner: { email: '', name: '', password: '' },
  }
}

/** Trims what people type; the slug and e-mail are case-insensitive. */
export function normalizeTenantSetup(setup: TenantSetup): TenantSetup {
  return {
    ...setup,
    slug: setup.slug.trim().toLowerCase(),
    name: setup.name.trim(),
    owner: { email: setup.owner.email.trim(), name: setup.owner.name.trim(), password: setup.owner.password },
  }
}

/** One page of tenants, refetched whenever the query changes. */
export function useAdminTenantList(query: MaybeRefOrGetter<AdminTenantQuery>) {
  return useApiFetch<PagedList<AdminTenant>>('/api/v1/admin/tenants', {
    query: computed(() => {
      const { q, status, ...rest } = toValue(query)
      return { ...rest, ...(q ? { q } : {}), ...(status ? { status } : {}) }
    }),
    lazy: true,
  })
}

export function useAdminTenant(id: MaybeRefOrGetter<string>) {
  return useApiFetch<AdminTenant>(() => `/api/v1/admin/tenants/${toValue(id)}`)
}

/** Back-office tenant changes; each throws the API's error for the caller to show. */
export function useAdminTenantActions() {
  const api = useApi()
  return {
    create: (body: TenantSetup) =>
      api<AdminTenant>('/api/v1/admin/tenants', { method: 'POST', body }),
    setStatus: (id: string, status: TenantStatus) =>
      api<AdminTenant>(`/api/v1/admin/tenants/${id}`, { method: 'PATCH', body: { status } }),
  }
}

/** The base domain tenants live under, seen from the apex or the admin host (`admin.` removed). */
export function useTenantBaseDomain() {
  // Display only: behind a proxy the server sees the public host in X-Forwarded-Host.
  const url = useRequestURL({ xForwardedHost: true, xForwardedProto: true })
  return computed(() => ({ protocol: url.protocol, domain: url.host.replace(/^admin\./, '') }))
}
