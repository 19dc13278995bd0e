import type { MaybeRefOrGetter } from 'vue'
import type { Role } from '~/composables/useRoles'
import type { PagedList } from '~/composables/useApi'

/** A member of the tenant (`GET /api/v1/users`). */
export interface TenantUser {
  id: string
  email: string
  name: string
  roles: string[]
  createdAt: string
  updatedAt: string
  version: number
}

export interface NewTenantUser {
  email: string
  name: string
  password?: string
  roles: Role[]
}

export interface TenantUserQuery {
  page: number
  pageSize: number
  q?: string
  /** `field:asc|desc` with field one of email, name, createdAt. */
  sort?: string
}

/** One page of the tenant's members, refetched whenever the query changes. */
export function useTenantUserList(query: MaybeRefOrGetter<TenantUserQuery>) {
  return useApiFetch<PagedList<TenantUser>>('/api/v1/users', {
    query: computed(() => {
      const { q, ...rest } = toValue(query)
      return q ? { ...rest, q } : rest
    }),
    lazy: true,
  })
}

/** Membership changes; each throws the API's error for the caller's form to show. */
export function useTenantUserActions() {
  const api = useApi()
  return {
    create: (body: NewTenantUser) =>
      api<TenantUser>('/api/v1/users', { method: 'POST', body }),
    updateRoles: (user: Pick<TenantUser, 'id' | 'version'>, roles: string[]) =>
      api<TenantUser>(`/api/v1/users/${user.id}`, { method: 'PATCH', body: { roles, version: user.version } }),
    remove: (user: Pick<TenantUser, 'id'>) =>
      api(`/api/v1/users/${user.id}`, { method: 'DELETE' }),
  }
}
