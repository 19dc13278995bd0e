export interface SiteTenant {
  id: string
  slug: string
  name: string
  baseCurrency: string
  fiscalYearStartMonth?: number
  status: 'active' | 'suspended'
}

/** What kind of host served this page, as decided by the server's tenant middleware. */
export interface Site {
  kind: 'tenant' | 'admin' | 'apex'
  tenant?: SiteTenant
}

/**
 * The current host's classification (`null` when the server did not provide one, e.g. on an
 * error page rendered before tenant resolution).
 */
export function useSite() {
  return useState<Site | null>('site', () => null)
}
