import type { MaybeRefOrGetter } from 'vue'
import type { TenantUser, NewTenantUser } from '#shared/types/users'
import type { PagedList } from '~/composables/useApi'

export type { NewTenantUser, TenantUser } from '#shared/types/users'

/** How a member is named in messages: their name, or their e-mail while none is known. */
export function memberLabel(user: Pick<TenantUser, 'name' | 'email'>): string {
  return user.name ?? user.email
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
