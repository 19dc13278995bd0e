/**
 * Keeps each page on the kind of host it belongs to: the back-office under `/admin` on the admin
 * host, the landing page and sign-up on the apex domain, everything else on tenant hosts. This
 * only steers navigation; the server enforces who may see what.
 */
export default defineNuxtRouteMiddleware((to) => {
  const kind = useSite().value?.kind
  if (!kind) return

  const isAdminPath = to.path === '/admin' || to.path.startsWith('/admin/')
  // The sign-up form and the e-mailed link that completes it (`/signup/<token>`).
  const isSignupPath = to.path === '/signup' || to.path.startsWith('/signup/')
  const notFound = () => createError({ statusCode: 404, statusMessage: 'Page not found', fatal: true })

  if (kind === 'admin') {
    if (to.path === '/') return navigateTo('/admin/tenants', { replace: true })
    if (!isAdminPath) throw notFound()
    return
  }

  if (kind === 'apex') {
    // People often try to sign in on the bare domain: the landing page helps them find their organisation.
    if (to.path === '/login') return navigateTo({ path: '/', hash: '#sign-in' }, { replace: true })
    if (to.path !== '/' && !isSignupPath) throw notFound()
    return
  }

  if (isAdminPath || isSignupPath) throw notFound()
})
