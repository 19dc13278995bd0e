import { defineStore } from 'pinia'
import type { PagedList } from '~/composables/useApi'
import type { AppNotification } from '#shared/types/session'

export type { AppNotification } from '#shared/types/session'

const LATEST = 10
const STREAM_URL = '/api/v1/notifications/stream'

/**
 * The bell's state: the latest notifications and the unread count, kept live by the server-sent
 * event stream while the tenant shell is open. The server holds the truth; after any gap in the
 * stream the list is reloaded rather than patched.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const api = useApi({ redirectOnUnauthorized: false })
  const items = ref<AppNotification[]>([])
  const unread = ref(0)
  const loadError = ref<string | null>(null)
  const live = ref(false)

  let source: EventSource | null = null
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let failures = 0
  let opened = false

  async function load() {
    try {
      const list = await api<PagedList<AppNotification> & { unread: number }>('/api/v1/notifications', { query: { pageSize: LATEST } })
      items.value = list.data
      unread.value = list.unread
      loadError.value = null
    }
    catch (err) {
      loadError.value = toApiError(err).message
    }
  }

  function receive(notification: AppNotification) {
    if (items.value.some(n => n.id === notification.id)) return
    items.value = [notification, ...items.value].slice(0, LATEST)
    if (!notification.readAt) unread.value += 1
  }

  function replace(updated: AppNotification) {
    items.value = items.value.map(n => (n.id === updated.id ? updated : n))
  }

  async function markRead(notification: AppNotification) {
    if (notification.readAt) return
    const updated = await api<AppNotification>(`/api/v1/notifications/${notification.id}/read`, { method: 'POST' })
    replace(updated)
    unread.value = Math.max(0, unread.value - 1)
  }

  async function markAllRead() {
    await api('/api/v1/notifications/read-all', { method: 'POST' })
    const now = new Date().toISOString()
    items.value = items.value.map(n => ({ ...n, readAt: n.readAt ?? now }))
    unread.value = 0
  }

  /** Opens the stream (browser only). EventSource reconnects by itself after a dropped connection. */
  function connect() {
    if (import.meta.server || source) return
    source = new EventSource(STREAM_URL)
    source.addEventListener('notification', (event) => {
      receive(JSON.parse((event as MessageEvent<string>).data) as AppNotification)
    })
    source.onopen = () => {
      live.value = true
      failures = 0
      // Whatever arrived while the stream was down is in the list, not in the stream.
      if (opened) void load()
      opened = true
    }
    source.onerror = () => {
      live.value = false
      // CLOSED means the browser gave up (e.g. 401 once the access token expired): reload through
      // the API client, which refreshes the session, then open a new stream, backing off.
      if (source?.readyState !== EventSource.CLOSED) return
      source = null
      failures += 1
      reconnectTimer = setTimeout(async () => {
        await load()
        connect()
      }, Math.min(60_000, 1000 * 2 ** failures))
    }
  }

  function disconnect() {
    clearTimeout(reconnectTimer)
    source?.close()
    source = null
    live.value = false
    opened = false
  }

  return { items, unread, loadError, live, load, markRead, markAllRead, connect, disconnect }
})
