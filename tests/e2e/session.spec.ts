import { expect, test, type BrowserContext, type Route } from '@playwright/test'
import postgres from 'postgres'
import { rawRequest } from '../support/http'
import { e2eContext, tenantUrl } from './support/context'
import { signIn } from './support/pages'

/**
 * Two tabs of one browser share the session cookies. When both find the access token expired at
 * the same moment, only one may spend the refresh token: the server treats a spent refresh token
 * presented again as theft and ends the whole session (reuse detection). The client refreshes
 * under a Web Lock (composables/useApi.ts), so the second tab waits and then uses the cookies the
 * first one got. A page's server render refreshes too (an expired access token on a reload), and
 * that is no part of any browser lock: a server render and another tab's script can present the
 * same token at once. The server answers such a duplicate, within a few seconds of the rotation,
 * with the same rotation's result (the grace window in server/domain/identity/sessions.ts).
 */

const REFRESH = '**/api/v1/auth/refresh'

async function twoSignedInTabs(context: BrowserContext) {
  const { tenant } = e2eContext()
  const first = await context.newPage()
  await first.goto(tenantUrl(tenant.slug, '/login'))
  await signIn(first, tenant.owner.email, tenant.owner.password)
  const second = await context.newPage()
  await second.goto(tenantUrl(tenant.slug, '/'))
  for (const page of [first, second]) await expect(page.getByTestId('nav-ledger-journal')).toBeVisible()
  return { first, second }
}

/** The access token "expires" in every tab at once: the refresh token is all that is left. */
async function expireAccessToken(context: BrowserContext) {
  const accessCookie = (await context.cookies()).find(c => /paksa_at$/.test(c.name))!
  await context.clearCookies({ name: accessCookie.name })
}

/** The refresh tokens issued so far in the session whose refresh cookie the browser holds. */
async function tokensInSession(context: BrowserContext, sql: postgres.Sql): Promise<number> {
  const refreshCookie = (await context.cookies()).find(c => /paksa_rt$/.test(c.name))!
  const [id] = refreshCookie.value.split('.')
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from refresh_tokens
    where family_id = (select family_id from refresh_tokens where id = ${id!})`
  return row!.count
}

test('two tabs whose access token expired together both stay signed in', async ({ context }) => {
  const { first, second } = await twoSignedInTabs(context)

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
  await context.route(REFRESH, async (route) => {
    await new Promise(resolve => setTimeout(resolve, 700))
    // A request the page gave up on meanwhile (a navigation) is already handled: nothing to send.
    await route.continue().catch(() => {})
  })

  await expireAccessToken(context)

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
  await context.unroute(REFRESH)
  // The session survived: a full reload (server-rendered with the cookies now in the jar) is
  // still signed in. The pages show their heading before their data, so a tab's refresh may still
  // be out here: the reload's server render then refreshes with the same cookie at the same time.
  await first.reload()
  await expect(first.getByTestId('journal-new')).toBeVisible()
  await expect(first).not.toHaveURL(/\/login/)
  await second.reload()
  await expect(second.getByTestId('journal-new')).toBeVisible()
  await expect(second).not.toHaveURL(/\/login/)
})

test('a reload\'s server render and another tab\'s refresh presenting the same token both stay signed in', async ({ context }) => {
  const sql = postgres(e2eContext().databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const { first, second } = await twoSignedInTabs(context)
    expect(await tokensInSession(context, sql)).toBe(1)

    // The second tab's refresh is held until the first tab's reload has rotated the token.
    let held!: (route: Route) => void
    const refreshHeld = new Promise<Route>((resolve) => {
      held = resolve
    })
    await context.route(REFRESH, route => held(route))
    await expireAccessToken(context)
    await second.getByTestId('nav-ledger-journal').click()
    const route = await refreshHeld
    // What the held request carries: the cookies of this moment. (Chromium attaches the jar's
    // cookies afresh when an intercepted request goes on, whatever headers it is given, so the
    // held request is sent from here below, with these cookies, as a request already on the wire.)
    const sentCookies = (await context.cookies(tenantUrl(e2eContext().tenant.slug, '/'))).map(c => `${c.name}=${c.value}`).join('; ')
    expect(sentCookies).toMatch(/paksa_rt=/)

    // The first tab reloads meanwhile: its server render finds no access token and refreshes with
    // the refresh cookie, the same one the held request carries. That rotation comes first.
    const reloaded = first.reload()
    await expect.poll(() => tokensInSession(context, sql)).toBe(2)

    // Now the second tab's refresh reaches the server with the token just spent, while the reload
    // may still be rendering: a duplicate within the grace window, answered with the same
    // successor (no third token), not taken for reuse.
    const { port, tenant } = e2eContext()
    const answer = await rawRequest(`http://127.0.0.1:${port}/api/v1/auth/refresh`, 'POST',
      { ...route.request().headers(), host: `${tenant.slug}.localhost:${port}`, cookie: sentCookies }, route.request().postData() ?? '{}')
    expect(answer.status, answer.text).toBe(200)
    const headers: Record<string, string> = {}
    answer.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers[name] = value
    })
    await route.fulfill({ status: answer.status, headers: { ...headers, 'set-cookie': answer.headers.getSetCookie().join('\n') }, body: answer.bytes })

    await reloaded
    await expect(first.getByTestId('nav-ledger-journal')).toBeVisible()
    await expect(first).not.toHaveURL(/\/login/)
    await expect(second.getByTestId('journal-new')).toBeVisible()
    // The journal's data came (entries, or the empty state), not an error.
    await expect(second.getByText('No journal entries yet').or(second.getByTestId('entry-row').first())).toBeVisible()
    await expect(second.getByTestId('journal-error')).toHaveCount(0)
    await expect(second).not.toHaveURL(/\/login/)
    await context.unroute(REFRESH)
    expect(await tokensInSession(context, sql)).toBe(2)

    for (const page of [first, second]) {
      await page.reload()
      await expect(page.getByTestId('nav-ledger-journal')).toBeVisible()
      await expect(page).not.toHaveURL(/\/login/)
    }
  }
  finally {
    await sql.end()
  }
})
