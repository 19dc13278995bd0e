import type { H3Event } from 'h3'

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatSeconds?: number
  /**
   * The stream ends after this long and the browser's EventSource reconnects by itself, so a
   * long-lived stream re-checks the session (a removed member or expired token stops receiving).
   */
  maxSeconds?: number
  /** How long the browser waits before reconnecting (sent as the stream's `retry:`). */
  retryMs?: number
}

/**
 * Answers the request with server-sent events (text/event-stream). `start` gets a `send(event,
 * data)` and returns its cleanup, run once when the client goes away or the stream's time is up.
 * Written straight to the Node response so comment heartbeats are possible and nothing buffers:
 * each event is flushed as written, never compressed, never cached.
 */
export function streamServerEvents(event: H3Event, start: (send: (name: string, data: unknown) => void) => () => void, options: EventStreamOptions = {}): Promise<void> {
  const { heartbeatSeconds = 25, maxSeconds = 15 * 60, retryMs = 3000 } = options
  const res = event.node.res
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    'Connection': 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'X-Accel-Buffering': 'no',
  })
  res.write(`retry: ${retryMs}\n: connected\n\n`)
  return new Promise((resolve) => {
    const send = (name: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
    }
    const stop = start(send)
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatSeconds * 1000)
    const lifetime = setTimeout(() => res.end(), maxSeconds * 1000)
    res.once('close', () => {
      clearInterval(heartbeat)
      clearTimeout(lifetime)
      stop()
      resolve()
    })
  })
}
