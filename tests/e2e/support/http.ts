/**
 * The browser tests' set-up calls (creating tenants, reading state) go through the shared client
 * (tests/support/http.ts) to the server the global setup started.
 */
import { type ApiResponse, send } from '../../support/http'

export type JsonResponse = ApiResponse

export function requestJson(port: number, host: string, method: string, path: string, options: { json?: unknown, token?: string } = {}): Promise<JsonResponse> {
  return send({ baseUrl: `http://127.0.0.1:${port}` }, method, host, path, { ...options, headers: { accept: 'application/json' } })
}
