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

  // The access token "expires" in both tabs at once: the refresh token is all that is left.
  const accessCookie = (await context.cookies()).find(c => /paksa_at$/.test(c.name))!
  await context.clearCookies({ name: accessCookie.name })

  // Both tabs call the API at the same moment: each gets a 401 and refreshes.
  await Promise.all([first, second].map(page => page.getByTestId('nav-ledger-journal').click()))
  for (const page of [first, second]) {
    await expect(page.getByTestId('journal-new')).toBeVisible()
    await expect(page).not.toHaveURL(/\/login/)
  }
  // The session survived: a full reload (server-rendered with the cookies now in the jar) is still signed in.
  await first.reload()
  await expect(first.getByTestId('journal-new')).toBeVisible()
  await expect(first).not.toHaveURL(/\/login/)
})
