import { defineConfig } from 'drizzle-kit'

// Used only to generate migrations (`npm run db:generate`); applying them is `npm run db:migrate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
})
