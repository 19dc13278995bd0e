/** Steps that several browser tests share. */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, type Page, type TestInfo } from '@playwright/test'

const SCREENSHOTS = resolve(import.meta.dirname, '../../../test-results/screenshots')

/** A full-page screenshot at test-results/screenshots/<name>.png, also attached to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = resolve(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true, animations: 'disabled' })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/**
 * Signs in through the login form. The e-mail field's test id is set once the form is mounted in
 * the browser, so finding it means the page is hydrated and the submit is handled by the app.
 */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByTestId('login-email').fill(email)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page).not.toHaveURL(/\/login(\?|$)/)
}

/**
 * True when the page scrolls sideways: content wider than the viewport (a broken phone layout).
 * Ask through `expect.poll`: after `setViewportSize` the navigation drawer slides out over a
 * transition, and the page is only settled once it has gone.
 */
export function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
}
