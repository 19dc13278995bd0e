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
  restrict(['server/domain/**/*.ts'], [
    upward(['contracts', ...HTTP, 'workers'], 'server/domain imports only domain, core and db: routes, contracts and jobs build on it, not the other way.'),
  ]),
  restrict(['server/contracts/**/*.ts'], [
    upward([...HTTP, 'workers'], 'server/contracts describe routes from zod schemas and domain constants; they import no HTTP glue or jobs.'),
  ]),
  restrict(['db/**/*.ts'], [
    upward(['server', 'workers'], 'db is the bottom layer.'),
  ]),
)
