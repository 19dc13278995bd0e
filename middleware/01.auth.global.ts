/** Pages anyone may open; every other tenant or back-office page needs a session. */
const PUBLIC_PATHS = new Set(['/login', '/admin/login', '/forgot-password', '/handoff'])
/** E-mailed links (invitation, password reset) open for people who cannot sign in yet. */
const PUBLIC_PREFIXES = ['/invitation/', '/reset-password/']

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some(prefix => path.startsWith(prefix))
}

function isUnauthorized(error: unknown): boolean {
  return toApiError(error).status === 401
}

/**
 * Loads the signed-in member (tenant hosts) or platform admin (admin host) into the session
 * store before a protected page renders, and sends anyone without a session to the login page.
 */
export default defineNuxtRouteMiddleware(async (to) => {
  const kind = useSite().value?.kind
  // No site means the server is showing an error page (unknown host): there is no session to load.
  if (!kind || kind === 'apex' || isPublic(to.path) || useError().value) return

  const session = useSessionStore()
  const onAdmin = kind === 'admin'

  if (onAdmin ? session.admin : session.me) return
  try {
    // A single awaited call: Nuxt's async-context transform mangles an awaited if/else pair.
    const load = onAdmin ? session.loadAdmin : session.loadMe
    await load()
  }
  catch (error) {
    if (isUnauthorized(error)) {
      const query = to.fullPath === '/' ? {} : { redirect: to.fullPath }
      return navigateTo({ path: onAdmin ? '/admin/login' : '/login', query })
    }
    const { status, message } = toApiError(error)
    throw createError({ statusCode: status ?? 500, statusMessage: message, fatal: true })
  }
})
