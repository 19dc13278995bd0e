import { z } from 'zod'
import { defineContract } from './define'

export const systemContracts = {
  health: defineContract({ operationId: 'checkLiveness', method: 'get', path: '/api/health', tag: 'System', audience: 'public', summary: 'Liveness: the process answers (any host, no auth)', response: z.object({ status: z.literal('ok') }) }),
  ready: defineContract({ operationId: 'checkReadiness', method: 'get', path: '/api/ready', tag: 'System', audience: 'public', summary: 'Readiness: database (and Redis when configured) reachable', alsoAnswers: { 503: 'Not ready: a check failed (`status: unavailable`)' }, response: z.object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.enum(['ok', 'failed', 'skipped'])) }) }),
  auditVerify: defineContract({ operationId: 'verifyAuditTrail', method: 'get', path: '/api/v1/audit/verify', tag: 'Audit', audience: 'tenant', permission: 'audit:read', summary: 'Verify this tenant\'s audit hash chain; names the first broken event', response: z.object({ ok: z.boolean(), events: z.number().int(), firstBroken: z.object({ id: z.string(), seq: z.number().int(), reason: z.string() }).optional() }) }),
  openapi: defineContract({ operationId: 'getOpenApiDocument', method: 'get', path: '/api/v1/openapi.json', tag: 'System', audience: 'public', summary: 'This OpenAPI 3.1 document', response: z.object({ openapi: z.string() }).passthrough() }),
}
