/**
 * Loads the organisation's formatting settings once a member is signed in on a tenant host (after
 * 01.auth has loaded the session), so every date and figure on the page follows them from the
 * first render; the server's render hands them to the browser in the payload.
 */
export default defineNuxtRouteMiddleware(async () => {
  if (useSite().value?.kind !== 'tenant' || !useSessionStore().me || useFormatState().value.loaded) return
  await loadOrgFormat()
})
