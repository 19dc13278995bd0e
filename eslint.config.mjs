// @ts-check
import withNuxt from './.nuxt/eslint.config.mjs'

/**
 * The layers (README.md, "Architecture"): an import may only point down this list.
 *   server/boot, server/plugins          start-up and the in-process worker: may import anything
 *   server/api, server/routes, server/middleware   HTTP routes: contracts, utils, domain, core, db
 *   server/utils                          HTTP glue (defineApiHandler, guards, unit of work)
 *   server/contracts                      route contracts and the OpenAPI document built from them
 *   server/domain                         business rules, framework-free; takes a transaction
 *   server/core                           infrastructure: config, log, cache, queues, events, files, mail transport
 *   db                                    schema, connections, withTenant/withPlatform
 * workers/ run jobs on domain and core. A regex per forbidden folder, so `../..` paths and the
 * `~~/server/...` alias are both caught.
 */
/**
 * @param {string[]} folders
 * @param {string} why
 */
const upward = (folders, why) => ({ regex: `(^|/)(${folders.join('|')})(/|$)`, message: why })
const HTTP = ['api', 'routes', 'middleware', 'utils', 'plugins', 'boot']
/**
 * @param {string[]} files
 * @param {{ regex: string, message: string }[]} patterns
 * @param {string[]} [ignores]
 * @returns {import('eslint').Linter.Config}
 */
const restrict = (files, patterns, ignores = []) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'h3', message: 'HTTP belongs in server/utils and the routes, not below them.' }], patterns }] } })

/**
 * Who owns a transaction (server/domain/README.md): domain functions take one (`tx`, a PlatformTx,
 * and the unit's `afterCommit`/`mail`); the route opens it through defineApiHandler's read/write
 * or the platform unit. Only these files may open their own, each for the reason given.
 */
const TRANSACTION_ENTRY_POINTS = [
  // Before any route's unit of work exists: start-up and the request middleware (cached lookups).
  'server/domain/identity/principals.ts', // 02.auth: the session and membership of an access token
  'server/domain/tenancy/lookup.ts', // 01.site: the host's tenant
  'server/domain/platform/admin-entry.ts', // start-up admin bootstrap; 02.auth: the back-office admin
  // After a commit or in a job: their own transaction by design.
  'server/domain/notifications/notify.ts', // notifyUsers: after-commit hooks and jobs; a failure never undoes its cause
  'server/domain/mail/outbox.ts', // tenantMailStore: the mail job's delivery steps
  'server/domain/mail/platform-outbox.ts', // platformMailStore: the mail job's delivery steps
  'server/domain/outbox/relay.ts', // the maintenance job's outbox sweep
  'server/domain/bank/import-job-runner.ts', // the bank import job (its import in one transaction, progress in others) and the failed enqueue
  'server/domain/reports/export-runner.ts', // the export job (a streamed file in a repeatable-read transaction of its own)
  'server/domain/reports/schedules.ts', // the schedule job (runScheduledReport, recordScheduleFailure)
  'server/domain/reports/export-files.ts', // the mail job's export attachments
  'server/domain/sales/receivables-jobs.ts', // the receivables job's sweep: which tenants have work (platform role)
  'server/domain/sales/recurring-runs.ts', // the receivables job: one transaction per occurrence and per issue/send
  'server/domain/sales/dunning.ts', // the receivables job: one transaction per invoice reminded
]
/** Imports that open a transaction or reach the connection pool, forbidden in server/domain outside the entry points. */
const TRANSACTION_OPENERS = [
  { regex: '(^|/)db/tenant$', importNames: ['withTenant', 'withTenantFirst', 'withPlatform'], message: 'Domain functions take the caller\'s transaction (tx, PlatformTx): the route opens it with read/write. Only the entry points listed in eslint.config.mjs (TRANSACTION_ENTRY_POINTS, see server/domain/README.md) open one.' },
  { regex: '(^|/)db/client$', importNames: ['useDatabase'], message: 'Domain functions take the caller\'s transaction; they never reach the connection pool.' },
  { regex: '^(postgres|drizzle-orm/postgres-js.*)$', message: 'Domain functions take the caller\'s transaction; they never open connections or transactions of their own.' },
]

export default withNuxt(
  {
    rules: {
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    // Tests read JSON answers loosely on purpose: the assertions say what the shape must be.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  restrict(['server/core/**/*.ts'], [
    upward(['domain', 'contracts', ...HTTP, 'workers'], 'server/core is infrastructure: it imports only db and other core modules (start-up lives in server/boot).'),
  ]),
  // One config object per file set: a later `no-restricted-imports` replaces an earlier one, it does not add to it.
  restrict(['server/domain/**/*.ts'], [
    upward(['contracts', ...HTTP, 'workers'], 'server/domain imports only domain, core and db: routes, contracts and jobs build on it, not the other way.'),
    ...TRANSACTION_OPENERS,
  ], TRANSACTION_ENTRY_POINTS),
  restrict(TRANSACTION_ENTRY_POINTS, [
    upward(['contracts', ...HTTP, 'workers'], 'server/domain imports only domain, core and db: routes, contracts and jobs build on it, not the other way.'),
  ]),
  restrict(['server/contracts/**/*.ts'], [
    upward([...HTTP, 'workers'], 'server/contracts describe routes from zod schemas and domain constants; they import no HTTP glue or jobs.'),
  ]),
  restrict(['db/**/*.ts'], [
    upward(['server', 'workers'], 'db is the bottom layer.'),
  ]),
)
