/**
 * JSON requests from Node to the test server with an explicit Host header. node:http, because
 * fetch (undici) will not send a Host other than the URL's and Node does not resolve *.localhost.
 */
import { request } from 'node:http'

export interface JsonResponse { status: number, body: any, text: string }

export function requestJson(port: number, host: string, method: string, path: string, options: { json?: unknown, token?: string } = {}): Promise<JsonResponse> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json)
  const headers: Record<string, string> = { host, accept: 'application/json' }
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: unknown = text
        try {
          parsed = JSON.parse(text)
        }
        catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed, text })
      })
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}
