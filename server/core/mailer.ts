/**
 * Outgoing e-mail over SMTP_URL (nodemailer). One transport per process, created on first use;
 * without SMTP_URL there is no transport and mail stays in the outbox as `held`
 * (server/domain/mail/outbox.ts, server/domain/mail/delivery.ts).
 *
 * The sender is `Paksa Financial <no-reply@APP_BASE_DOMAIN>`: the relay's own envelope rules
 * (SPF/DKIM) belong to the deployment, not to this code.
 */
import type { Readable } from 'node:stream'
import { createTransport, type Transporter } from 'nodemailer'
import { useConfig } from './config'

export interface OutgoingAttachment {
  filename: string
  contentType: string
  /** Streamed into the message, so a large report file is never held in memory whole. */
  content: Readable
}

export interface OutgoingMail {
  to: string[]
  subject: string
  text: string
  html: string
  attachments?: OutgoingAttachment[]
}

/** Not pooled: each message opens its own SMTP connection, so there is nothing to close on shutdown. */
let transport: Transporter | undefined

/** Whether mail can leave this process (SMTP_URL is configured). */
export function mailConfigured(): boolean {
  return !!useConfig().smtpUrl
}

function useTransport(): Transporter {
  const { smtpUrl } = useConfig()
  if (!smtpUrl) throw new Error('SMTP_URL is not configured')
  transport ??= createTransport(smtpUrl)
  return transport
}

/** Hands one message to the relay; resolves with the relay's message id once it accepted it. */
export async function sendMail(mail: OutgoingMail): Promise<{ messageId: string }> {
  const info = await useTransport().sendMail({
    from: { name: 'Paksa Financial', address: `no-reply@${useConfig().baseDomain}` },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments?.map(a => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  }) as { messageId: string }
  return { messageId: info.messageId }
}
