/**
 * What the global setup hands to the browser tests: the server's port and the credentials of the
 * platform admin and of the `acme` tenant's owner. It travels in one environment variable, which
 * Playwright's workers inherit because they start after the global setup.
 */
export interface E2eContext {
  port: number
  admin: { email: string, password: string }
  tenant: { id: string, slug: string, name: string, owner: { email: string, name: string, password: string } }
  /** The test database (owner role): e-mailed links are read from the outbox, as no SMTP relay runs. */
  databaseUrl: string
}

export const CONTEXT_VARIABLE = 'PAKSA_E2E_CONTEXT'

let cached: E2eContext | undefined

export function e2eContext(): E2eContext {
  if (cached) return cached
  const raw = process.env[CONTEXT_VARIABLE]
  if (!raw) throw new Error(`${CONTEXT_VARIABLE} is not set: run the browser tests with \`npm run test:e2e\` (playwright.config.ts starts the server)`)
  cached = JSON.parse(raw) as E2eContext
  return cached
}

/** A page on a tenant's own host; Chromium resolves every *.localhost name to loopback. */
export function tenantUrl(slug: string, path = '/'): string {
  return `http://${slug}.localhost:${e2eContext().port}${path}`
}

export function adminUrl(path = '/'): string {
  return `http://admin.localhost:${e2eContext().port}${path}`
}

/** The public site on the apex host (landing page, sign-up). */
export function apexUrl(path = '/'): string {
  return `http://localhost:${e2eContext().port}${path}`
}
