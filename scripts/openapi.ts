/**
 * The OpenAPI document as the server serves it, without a server:
 *   tsx scripts/openapi.ts [file]   writes it to the file (default: stdout), e.g. to generate a client;
 *   tsx scripts/openapi.ts --lint   lints it with Redocly's recommended rules (redocly.yaml) and
 *                                   exits non-zero on any error (`npm run lint:openapi`, run in CI).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openApiDocument } from '../server/contracts/openapi/document'

const json = `${JSON.stringify(openApiDocument(), null, 2)}\n`
const arg = process.argv[2]

if (arg === '--lint') {
  const dir = mkdtempSync(join(tmpdir(), 'paksa-openapi-'))
  const file = join(dir, 'openapi.json')
  writeFileSync(file, json)
  const root = resolve(import.meta.dirname, '..')
  const result = spawnSync(join(root, 'node_modules/.bin/redocly'), ['lint', file, '--config', join(root, 'redocly.yaml')], {
    stdio: 'inherit',
    // No telemetry or update check: CI has no internet, and the lint needs none.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  })
  rmSync(dir, { recursive: true, force: true })
  process.exit(result.status ?? 1)
}
else if (arg) writeFileSync(arg, json)
else process.stdout.write(json)
