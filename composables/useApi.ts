import { appendResponseHeader } from 'h3'
import type { NuxtApp, UseFetchOptions } from '#app'

type ApiFetch = typeof $fetch

/** Readable CSRF cookie: `__Host-` behind TLS or on localhost, the plain name on plain-http hosts. */
const CSRF_COOKIES = ['__Host-paksa_csrf', 'paksa_csrf']
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Login, refresh and logout answer 401 for their own reasons; never refresh-and-retry them. */
const AUTH_ROUTE = /^\/api\/v1\/(?:admin\/)?auth\//
/** Headers the server needs to resolve the tenant and the session during SSR. */
const FORWARDED_HEADERS = ['host', 'x-forwarded-host', 'x-forwarded-proto'] as const

interface ApiState {
  /** SSR only: the cookie header sent to the API, updated when a refresh rotates the tokens. */
  cookie: string | undefined
  forwarded: Record<string, string>
  /** One refresh at a time: concurrent 401s wait for the same one. */
  refreshing: Promise<boolean> | null
  instances: { redirect?: ApiFetch, throw?: ApiFetch }
}

/** Per app instance: one per SSR request on the server, one for the tab in the browser. */
const states = new WeakMap<NuxtApp, ApiState>()

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  return cookies
}

function serializeCookies(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
}

function readCsrfToken(cookieHeader: string | undefined): string | undefined {
  const cookies = parseCookies(cookieHeader)
  for (const name of CSRF_COOKIES) {
    const value = cookies.get(name)
    if (value) {
      try {
        return decodeURIComponent(value)
      }
      catch {
        return value
      }
    }
  }
  return undefined
}

/** Applies `Set-Cookie` lines to a `Cookie` header, so later SSR calls use the rotated tokens. */
function applySetCookies(cookieHeader: string | undefined, setCookies: string[]): string {
  const cookies = parseCookies(cookieHeader)
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';')
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    const expired = attributes.some(a => /^\s*max-age\s*=\s*0\s*$/i.test(a))
    if (expired || value === '') cookies.delete(name)
    else cookies.set(name, value)
  }
  return serializeCookies(cookies)
}

function requestPath(request: unknown): string {
  const url = typeof request === 'string' ? request : (request as { url?: string } | null)?.url ?? ''
  return new URL(url, 'http://internal').pathname
}

const REFRESH_LOCK = 'paksa:session-refresh'
const REFRESHED_AT = 'paksa:session-refreshed-at'

/**
 * One refresh at a time across every tab of this browser. Tabs share the cookie jar: two tabs
 * that both find their access token expired would otherwise present the same refresh token at
 * once, and the server, which treats a spent refresh token presented again as theft, would end
 * the session. Under a Web Lock the second tab waits for the first; if the first refreshed after
 * this tab's request failed, the jar already holds fresh cookies and this tab only retries.
 * Without Web Locks (older browsers) each tab refreshes on its own, as before.
 */
async function oneRefreshAcrossTabs(refresh: () => Promise<boolean>): Promise<boolean> {
  const failedAt = Date.now()
  if (!navigator.locks) return refresh()
  return navigator.locks.request(REFRESH_LOCK, async () => {
    if (Number(readStorage(REFRESHED_AT) ?? 0) >= failedAt) return true
    const ok = await refresh()
    if (ok) writeStorage(REFRESHED_AT, String(Date.now()))
    return ok
  })
}

/** localStorage, which a browser may refuse (storage disabled): then every tab refreshes in turn. */
function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key)
  }
  catch {
    return null
  }
}

function writeStorage(key: string, value: string) {
  try {
    localStorage.setItem(key, value)
  }
  catch { /* storage disabled: the next tab refreshes again, still one at a time */ }
}

function createState(): ApiState {
  const state: ApiState = { cookie: undefined, forwarded: {}, refreshing: null, instances: {} }
  if (import.meta.server) {
    const headers = useRequestHeaders(['cookie', ...FORWARDED_HEADERS])
    state.cookie = headers.cookie
    for (const name of FORWARDED_HEADERS) {
      const value = headers[name]
      if (value) state.forwarded[name] = value
    }
  }
  return state
}

function createApi(nuxtApp: NuxtApp, state: ApiState, redirectOnUnauthorized: boolean): ApiFetch {
  const site = useSite()
  const router = useRouter()
  const event = import.meta.server ? useRequestEvent() : undefined

  function withForwardedHeaders(headers: Headers): Headers {
    if (import.meta.server) {
      for (const [name, value] of Object.entries(state.forwarded)) {
        if (!headers.has(name)) headers.set(name, value)
      }
      if (state.cookie) headers.set('cookie', state.cookie)
    }
    return headers
  }

  /** Trades the refresh cookie for new tokens; on the server the new cookies reach the browser too. */
  function refreshSession(): Promise<boolean> {
    state.refreshing ??= (import.meta.client ? oneRefreshAcrossTabs(postRefresh) : postRefresh())
      .finally(() => {
        state.refreshing = null
      })
    return state.refreshing
  }

  function postRefresh(): Promise<boolean> {
    return $fetch
      .raw('/api/v1/auth/refresh', {
        method: 'POST',
        body: {},
        retry: false,
        headers: withForwardedHeaders(new Headers()),
      })
      .then((response) => {
        if (import.meta.server) {
          const setCookies = response.headers.getSetCookie()
          state.cookie = applySetCookies(state.cookie, setCookies)
          if (event) for (const line of setCookies) appendResponseHeader(event, 'set-cookie', line)
        }
        return true
      })
      .catch(() => false)
  }

  async function goToLogin() {
    const loginPath = site.value?.kind === 'admin' ? '/admin/login' : '/login'
    const current = router.currentRoute.value
    if (current.path === loginPath) return
    await nuxtApp.runWithContext(() =>
      navigateTo({ path: loginPath, query: { redirect: current.fullPath } }, { replace: true }),
    )
  }

  return $fetch.create({
    // No blind retries (a finance API must not repeat a request on its own); the only retry is
    // the one below, after a successful token refresh.
    retry: false,
    onRequest({ options }) {
      const headers = withForwardedHeaders(new Headers(options.headers))
      const method = (options.method ?? 'GET').toUpperCase()
      if (UNSAFE_METHODS.has(method)) {
        const token = readCsrfToken(import.meta.server ? state.cookie : document.cookie)
        if (token) headers.set('x-csrf-token', token)
      }
      options.headers = headers
    },
    async onResponseError(context) {
      if (context.response.status !== 401 || AUTH_ROUTE.test(requestPath(context.request))) return
      // `retry` is `false` on the first attempt and `0` on the single retry made after a refresh.
      const isRetry = context.options.retry === 0
      // Back-office sessions have no refresh token: an expired one means signing in again.
      const canRefresh = !isRetry && site.value?.kind !== 'admin'
      if (canRefresh && await refreshSession()) {
        context.options.retry = 1
        context.options.retryStatusCodes = [401]
        return
      }
      context.options.retry = false
      if (redirectOnUnauthorized) await goToLogin()
    },
  }) as ApiFetch
}

/**
 * The app's one API client: a `$fetch` instance that sends the CSRF header on unsafe methods,
 * forwards the browser's cookies and host during SSR (the tenant is resolved from the host),
 * and on a 401 refreshes the session once and retries. When that fails it sends the user to the
 * login page, unless `redirectOnUnauthorized` is false (route middleware handles it itself).
 */
export function useApi(options: { redirectOnUnauthorized?: boolean } = {}): ApiFetch {
  const nuxtApp = useNuxtApp()
  let state = states.get(nuxtApp)
  if (!state) {
    state = createState()
    states.set(nuxtApp, state)
  }
  const mode = options.redirectOnUnauthorized === false ? 'throw' : 'redirect'
  state.instances[mode] ??= createApi(nuxtApp, state, mode === 'redirect')
  return state.instances[mode]
}

/** `useFetch` through {@link useApi}: server-rendered, cached in the payload, reactive to its options. */
export function useApiFetch<T>(
  url: string | Ref<string> | (() => string),
  options: UseFetchOptions<T> = {},
) {
  return useFetch(url, { ...options, $fetch: useApi() as typeof globalThis.$fetch })
}

/** Every list endpoint answers `{ data, page, pageSize, total }`. */
export interface PagedList<T> {
  data: T[]
  page: number
  pageSize: number
  total: number
}
