/**
 * Where to go after signing in: the `?redirect=` query when it is a path on this site (never
 * another origin, so the login page cannot be used as an open redirect), else `fallback`.
 */
export function useRedirectTarget(fallback: string) {
  const route = useRoute()
  return computed(() => {
    const value = route.query.redirect
    const target = Array.isArray(value) ? value[0] : value
    if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.includes('\\')) {
      return fallback
    }
    return target
  })
}
