import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Three kinds of tests in one run: fast unit tests, and API/database tests that share one real
// server and one fresh database (tests/support/global-setup.ts), and integration tests that start
// servers of their own (embedded default, restarts, proxy settings).
export default defineConfig({
  test: {
    projects: [
      {
        // `#shared` and `~~` as Nuxt resolves them, so composables that use the shared formatting
        // and the server's amount rules load here too.
        resolve: { alias: { '#shared': fileURLToPath(new URL('./shared', import.meta.url)), '~~': fileURLToPath(new URL('.', import.meta.url)) } },
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts', 'tests/db/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
