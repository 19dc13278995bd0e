import { defineConfig, devices } from '@playwright/test'

/**
 * Browser tests in real Chromium against the built server (`npx nuxt build` first; `npm test`
 * builds too). The global setup starts the server on a fresh database and creates the tenant
 * `acme`; pages are opened on their own hosts (acme.localhost, admin.localhost), which Chromium
 * resolves to loopback. Screenshots go to test-results/screenshots/.
 *
 * Playwright's bundled browsers cannot be downloaded here: the system Chromium is used
 * (CHROMIUM_PATH overrides its location).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  // The whole suite takes 17 minutes on a quiet 2-core machine and 25 on a loaded one; CI stops at 90.
  globalTimeout: 45 * 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  use: {
    ...devices['Desktop Chrome'],
    locale: 'en-GB',
    timezoneId: 'UTC',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium' }],
})
