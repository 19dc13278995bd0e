import postgres from 'postgres'
import { e2eContext } from './context'

/**
 * The path of the link in the newest mail to `to` (`/invitation/<token>` from a tenant's outbox,
 * `/signup/<token>` from the platform outbox). The browser-test server has no SMTP relay, so mail
 * stays in the outbox, written in the same transaction as the action that caused it.
 */
export async function mailedLinkPath(kind: 'invitation' | 'signup', to: string): Promise<string> {
  const sql = postgres(e2eContext().databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const [mail] = kind === 'signup'
      ? await sql<{ text: string }[]>`select text from platform_mail_outbox where ${to} = any("to") order by created_at desc limit 1`
      : await sql<{ text: string }[]>`select text from mail_outbox where kind = 'invitation' and ${to} = any("to") order by created_at desc limit 1`
    const path = new RegExp(`/${kind}/[A-Za-z0-9_-]{43}`).exec(mail?.text ?? '')?.[0]
    if (!path) throw new Error(`no ${kind} mail to ${to}`)
    return path
  }
  finally {
    await sql.end()
  }
}
