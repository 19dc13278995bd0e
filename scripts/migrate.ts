/** Deploy step: `npm run db:migrate` applies migrations to DATABASE_URL under an advisory lock. */
import { runMigrations } from '../db/migrate'

const url = process.env.DATABASE_URL
if (!url) {
  process.stderr.write('db:migrate: DATABASE_URL is not set (the embedded database migrates itself at start)\n')
  process.exit(1)
}
await runMigrations(url)
process.stdout.write('migrations applied\n')
