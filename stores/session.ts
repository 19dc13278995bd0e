import { defineStore } from 'pinia'
import type { SessionUser, TenantMe } from '#shared/types/session'

export type { SessionTenant, SessionUser, TenantMe } from '#shared/types/session'

/**
 * Who is signed in: a tenant member (`me`) on a tenant host or a platform admin (`admin`) on the
 * admin host. Loaded once by route middleware and hydrated from the SSR payload; the server
 * re-checks every request, so this only decides what to show.
 */
export const useSessionStore = defineStore('session', () => {
  const api = useApi({ redirectOnUnauthorized: false })
  const me = ref<TenantMe | null>(null)
  const admin = ref<SessionUser | null>(null)

  const permissions = computed(() => new Set(me.value?.permissions ?? []))
  const signedIn = computed(() => me.value !== null || admin.value !== null)

  /** Whether the member holds a permission (`users:manage`); `*` and `module:*` grant broadly. */
  function can(permission: string): boolean {
    const held = permissions.value
    return held.has(permission) || held.has('*') || held.has(`${permission.split(':')[0]}:*`)
  }

  async function loadMe() {
    me.value = await api<TenantMe>('/api/v1/me')
  }

  async function loadAdmin() {
    const response = await api<{ admin: SessionUser }>('/api/v1/admin/me')
    admin.value = response.admin
  }

  function clear() {
    me.value = null
    admin.value = null
  }

  /** Ends the session on the server; the local state is cleared even when that call fails. */
  async function logout(kind: 'tenant' | 'admin') {
    try {
      await api(kind === 'admin' ? '/api/v1/admin/auth/logout' : '/api/v1/auth/logout', { method: 'POST' })
    }
    finally {
      clear()
    }
  }

  return { me, admin, permissions, signedIn, can, loadMe, loadAdmin, clear, logout }
})
