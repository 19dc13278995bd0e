import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Three kinds of tests in one run: fast unit tests, and API/database tests that share one real
// server and one fresh database (tests/support/global-setup.ts), and integration tests that start
// servers of their own (embedded default, restarts, proxy settings).
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: 1 on a 2-core machine, which runs the files
    // one after another. The API and database tests mostly wait (on the server, PostgreSQL, the
    // sign-in delays), so three files at a time keep the machine busy instead.
    maxWorkers: 3,
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
