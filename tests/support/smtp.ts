/**
 * A real SMTP server for tests (the `smtp-server` package): every message it accepts is written as
 * an .eml file into a directory, so tests in other processes can read what arrived (mailparser).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from './server'

export interface SmtpSink { url: string, dir: string, stop: () => Promise<void> }

export async function startSmtpSink(dir = mkdtempSync(join(tmpdir(), 'paksa-mail-'))): Promise<SmtpSink> {
  let n = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        n += 1
        const to = session.envelope.rcptTo.map(r => r.address).join(',')
        writeFileSync(join(dir, `${Date.now()}-${process.pid}-${n}.eml`), `X-Envelope-To: ${to}\r\n${Buffer.concat(chunks).toString('utf8')}`)
        done()
      })
    },
  })
  const port = await freePort()
  await new Promise<void>(ok => server.listen(port, '127.0.0.1', ok))
  return { url: `smtp://127.0.0.1:${port}`, dir, stop: () => new Promise(ok => server.close(() => ok())) }
}

/** Every message in the sink addressed to `to`, oldest first. */
export async function readMail(dir: string, to: string): Promise<ParsedMail[]> {
  const files = readdirSync(dir).filter(f => f.endsWith('.eml')).sort()
  const mails: ParsedMail[] = []
  for (const f of files) {
    const raw = readFileSync(join(dir, f), 'utf8')
    const envelope = /^X-Envelope-To: (.*)\r\n/.exec(raw)?.[1] ?? ''
    if (envelope.split(',').includes(to.toLowerCase())) mails.push(await simpleParser(raw))
  }
  return mails
}

/** Waits (polling) until at least `count` messages to `to` arrived. */
export async function waitForMail(dir: string, to: string, count = 1, timeoutMs = 20_000): Promise<ParsedMail[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mails = await readMail(dir, to)
    if (mails.length >= count) return mails
    if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${to}, got ${mails.length}`)
    await new Promise(r => setTimeout(r, 200))
  }
}
