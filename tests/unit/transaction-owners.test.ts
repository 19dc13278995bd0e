/**
 * Who opens a transaction (server/domain/README.md): domain functions take the caller's; only the
 * entry points listed in eslint.config.mjs (TRANSACTION_ENTRY_POINTS) open their own. ESLint
 * refuses the imports elsewhere (`no-restricted-imports`); this test proves the rule is in force
 * for every domain file, and that no other file opens a transaction without those imports
 * (postgres.js's `begin`, drizzle's `transaction`, a reserved connection).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const DOMAIN = join(ROOT, 'server/domain')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [])
}

const rel = (file: string) => relative(ROOT, file).split('\\').join('/')

/** Whether ESLint forbids the transaction openers in this file (false: it is a listed entry point). */
async function openersForbidden(eslint: ESLint, file: string): Promise<boolean> {
  const config = await eslint.calculateConfigForFile(file) as { rules?: Record<string, unknown[]> }
  const options = config.rules?.['no-restricted-imports']?.[1] as { patterns?: { regex?: string, importNames?: string[] }[] } | undefined
  return !!options?.patterns?.some(p => p.importNames?.includes('withTenant'))
}

describe('transactions are opened by their owners only', () => {
  const eslint = new ESLint({ cwd: ROOT })
  const files = sourceFiles(DOMAIN)
  const entryPoints: string[] = []

  beforeAll(async () => {
    for (const file of files) {
      if (!await openersForbidden(eslint, file)) entryPoints.push(rel(file))
    }
  }, 60_000)

  it('forbids withTenant/withPlatform in a domain file that is not an entry point', async () => {
    const [result] = await eslint.lintText(
      `import { withPlatform, withTenant, withTenantFirst } from '../../../db/tenant'\nimport { useDatabase } from '../../../db/client'\n\nexport const openers = [withTenant, withTenantFirst, withPlatform, useDatabase]\n`,
      { filePath: join(DOMAIN, 'identity/not-an-entry-point.ts') },
    )
    const refused = result!.messages.filter(m => m.ruleId === 'no-restricted-imports').map(m => m.message)
    expect(refused).toHaveLength(4)
    expect(refused[0]).toMatch(/take the caller's transaction/)
  }, 60_000)

  it('lists few entry points, each of them an existing domain file', () => {
    expect(entryPoints.length).toBeGreaterThan(0)
    expect(entryPoints.length).toBeLessThan(files.length / 3)
    // The request-path modules take a transaction: none of them is an entry point.
    for (const module of ['identity/sessions.ts', 'identity/invitations.ts', 'identity/password-resets.ts', 'tenancy/signups.ts', 'tenancy/tenants.ts', 'platform/admins.ts', 'ledger/posting.ts']) {
      expect(entryPoints).not.toContain(`server/domain/${module}`)
    }
  })

  it('opens no transaction by other means outside the entry points', () => {
    const opening = /\b(withTenant|withTenantFirst|withPlatform)\s*[(<]|\.begin\s*\(|\.transaction\s*\(|\.reserve\s*\(/
    const offenders = files.map(rel).filter(file => !entryPoints.includes(file) && opening.test(readFileSync(join(ROOT, file), 'utf8')))
    expect(offenders).toEqual([])
  })
})
