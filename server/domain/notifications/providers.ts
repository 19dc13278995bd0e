/**
 * SMS and push delivery behind one interface, so a real gateway (an SMS API, FCM/APNs) can be
 * plugged in by configuration without touching the code that sends.
 *
 * Only the logging provider is built: it records that a message would go out (recipient masked,
 * no message text, since messages may carry codes or personal data) and returns a local id. It
 * does not deliver anything, and says so in the log line. Selecting another provider
 * (`SMS_PROVIDER`, `PUSH_PROVIDER`) arrives with the first real gateway; until then every channel
 * uses this one.
 */
import { randomUUID } from 'node:crypto'
import { log } from '../../core/log'

export type MessageChannel = 'sms' | 'push'

export interface MessageProvider {
  channel: MessageChannel
  /** Sends `message` to a phone number (sms) or device token (push); resolves with the provider's message id. */
  send(to: string, message: string): Promise<{ id: string }>
}

/**
 * Keeps enough of a recipient to tell two apart in the logs, never enough to reach them:
 * a phone number shows its last two digits, a push token its first and last four characters.
 */
export function maskRecipient(channel: MessageChannel, to: string): string {
  if (channel === 'sms') {
    const digits = to.replace(/\D/g, '')
    return digits.length > 2 ? `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}` : '**'
  }
  return to.length > 12 ? `${to.slice(0, 4)}…${to.slice(-4)}` : '****'
}

/** Writes a structured log line per message instead of delivering it. */
export class LoggingProvider implements MessageProvider {
  constructor(readonly channel: MessageChannel) {}

  async send(to: string, message: string): Promise<{ id: string }> {
    const id = `log-${randomUUID()}`
    log.info('message not delivered: logging provider', { channel: this.channel, id, to: maskRecipient(this.channel, to), length: message.length })
    return { id }
  }
}

const providers = new Map<MessageChannel, MessageProvider>()

/** The provider for a channel: the logging provider, the only one built so far. */
export function useMessageProvider(channel: MessageChannel): MessageProvider {
  let provider = providers.get(channel)
  if (!provider) {
    provider = new LoggingProvider(channel)
    providers.set(channel, provider)
  }
  return provider
}
