import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { signIn } from './support/pages'

/**
 * Two tabs of one browser share the session cookies. When both find the access token expired at
 * the same moment, only one may spend the refresh token: the server treats a spent refresh token
 * presented again as theft and ends the whole session (reuse detection, unchanged). The client
 * refreshes under a Web Lock (composables/useApi.ts), so the second tab waits and then uses the
 * cookies the first one got.
 */
test('two tabs whose access token expired together both stay signed in', async ({ context }) => {
  const { tenant } = e2eContext()
  const first = await context.newPage()
  await first.goto(tenantUrl(tenant.slug, '/login'))
  await signIn(first, tenant.owner.email, tenant.owner.password)
  const second = await context.newPage()
  await second.goto(tenantUrl(tenant.slug, '/'))
  for (const page of [first, second]) await expect(page.getByTestId('nav-ledger-journal')).toBeVisible()

  // Each refresh takes a while (held back 700 ms), so the second tab's 401 arrives while the first
  // tab's refresh is still out; record when each refresh starts and finishes.
  const refreshes: { started: number, finished?: number }[] = []
  const isRefresh = (url: string) => url.endsWith('/api/v1/auth/refresh')
  const open = new Map<unknown, { started: number, finished?: number }>()
  context.on('request', (request) => {
    if (!isRefresh(request.url())) return
    const r = { started: Date.now() }
    refreshes.push(r)
    open.set(request, r)
  })
  context.on('requestfinished', (request) => {
    const r = open.get(request)
    if (r) r.finished = Date.now()
  })
  await context.route('**/api/v1/auth/refresh', async (route) => {
    await new Promise(resolve => setTimeout(resolve, 700))
    // A request the page gave up on meanwhile (a navigation) is already handled: nothing to send.
    await route.continue().catch(() => {})
  })

  // The access token "expires" in both tabs at once: the refresh token is all that is left.
  const accessCookie = (await context.cookies()).find(c => /paksa_at$/.test(c.name))!
  await context.clearCookies({ name: accessCookie.name })

  // Both tabs call the API at the same moment: each gets a 401 and refreshes.
  await Promise.all([first, second].map(page => page.getByTestId('nav-ledger-journal').click()))
  for (const page of [first, second]) {
    await expect(page.getByTestId('journal-new')).toBeVisible()
    await expect(page).not.toHaveURL(/\/login/)
  }
  // One refresh at a time: none started before the one before it had finished.
  expect(refreshes.length).toBeGreaterThanOrEqual(1)
  const overlapping = refreshes.slice(1).filter((r, i) => r.started < (refreshes[i]!.finished ?? Number.POSITIVE_INFINITY))
  expect(overlapping, 'a refresh started while another was still out').toEqual([])
  await context.unroute('**/api/v1/auth/refresh')
  // The session survived: a full reload (server-rendered with the cookies now in the jar) is still signed in.
  await first.reload()
  await expect(first.getByTestId('journal-new')).toBeVisible()
  await expect(first).not.toHaveURL(/\/login/)
})
