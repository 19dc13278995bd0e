/**
 * SMS and push behind a provider interface (SPEC §6.13): the only provider built logs the message
 * as not delivered, with the recipient masked and without the message text.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LoggingProvider, maskRecipient, useMessageProvider } from '../../server/domain/notifications/providers'

function captureStdout() {
  const lines: string[] = []
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk))
    return true
  })
  return { lines, restore: () => spy.mockRestore() }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the logging message provider', () => {
  it('logs an SMS as not delivered, masking the number and leaving out the text', async () => {
    const out = captureStdout()
    const result = await useMessageProvider('sms').send('+44 7700 900123', 'Your code is 482913')
    out.restore()
    expect(result.id).toMatch(/^log-[0-9a-f-]{36}$/)
    const entries = out.lines.map(l => JSON.parse(l) as Record<string, unknown>)
    const entry = entries.find(e => e.id === result.id)
    expect(entry).toMatchObject({ level: 'info', channel: 'sms', to: '**********23', length: 19 })
    expect(entry!.msg).toMatch(/not delivered/)
    const raw = out.lines.join('')
    expect(raw).not.toContain('900123')
    expect(raw).not.toContain('482913')
  })

  it('logs a push message with the device token masked', async () => {
    const token = 'fcm-token-abcdefghijklmnopqrstuvwxyz-0123'
    const out = captureStdout()
    const result = await useMessageProvider('push').send(token, 'Export ready')
    out.restore()
    const raw = out.lines.join('')
    expect(raw).toContain(result.id)
    expect(raw).toContain('"to":"fcm-…0123"')
    expect(raw).not.toContain('abcdefghijklmnop')
    expect(raw).not.toContain('Export ready')
  })

  it('is the provider for both channels, one per channel', () => {
    expect(useMessageProvider('sms')).toBeInstanceOf(LoggingProvider)
    expect(useMessageProvider('sms').channel).toBe('sms')
    expect(useMessageProvider('push').channel).toBe('push')
    expect(useMessageProvider('sms')).toBe(useMessageProvider('sms'))
  })

  it('masks short recipients completely', () => {
    expect(maskRecipient('sms', '12')).toBe('**')
    expect(maskRecipient('push', 'short-token')).toBe('****')
  })
})
