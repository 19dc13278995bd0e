import type { Principal } from './domain/identity/sessions'
import type { PlatformAdmin } from './domain/platform/admins'

export interface SiteTenant { id: string, slug: string, name: string, status: 'active' | 'suspended', baseCurrency: string, fiscalYearStartMonth: number }

declare module 'h3' {
  interface H3EventContext {
    requestId: string
    clientIp: string
    /** The request's host (X-Forwarded-Host only with TRUST_PROXY), lower-cased, port kept. */
    host: string
    /** Which kind of host the request came to; set by server/middleware/01.site.ts. */
    site?: { kind: 'tenant' | 'admin' | 'apex', tenant?: SiteTenant }
    /** The verified caller, set by server/middleware/02.auth.ts. */
    auth?:
      | { kind: 'user', principal: Principal, via: 'cookie' | 'bearer', sessionId: string }
      | { kind: 'admin', admin: PlatformAdmin, via: 'cookie' | 'bearer', sessionId: string }
  }
}
export {}
