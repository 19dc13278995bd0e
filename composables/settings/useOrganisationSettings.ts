import type { OrganisationSettings, SettingsInput } from '#shared/types/settings'

export type { OrganisationSettings, SettingsInput } from '#shared/types/settings'

/** The organisation's settings; every member may read them. */
export function useOrganisationSettings() {
  return useApiFetch<OrganisationSettings>('/api/v1/settings', { key: 'organisation-settings', lazy: true })
}

/**
 * Changes the given fields of the settings as they were at `version` (sent as `If-Match`, the
 * ETag the settings were read with): a change someone made since is refused (409 STALE_VERSION,
 * or 412 from a proxy that checks the precondition itself) rather than overwritten. The saved
 * formatting applies to every page at once.
 */
export function useSettingsActions() {
  const api = useApi()
  return {
    async update(patch: Omit<SettingsInput, 'version'>, version: number) {
      const saved = await api<OrganisationSettings>('/api/v1/settings', { method: 'PATCH', body: patch, headers: { 'if-match': `"${version}"` } })
      applyOrgFormat(saved)
      return saved
    },
    /** The logo's image (revalidated by its ETag, so a replaced logo is never shown stale). */
    fetchLogo(): Promise<Blob> {
      return api<Blob>('/api/v1/settings/logo', { responseType: 'blob' })
    },
    /** Uploads `file` as the logo, replacing any before it; the settings as they are then (a new version). */
    uploadLogo(file: File): Promise<OrganisationSettings> {
      const form = new FormData()
      form.append('file', file)
      return api<OrganisationSettings>('/api/v1/settings/logo', { method: 'PUT', body: form })
    },
    removeLogo(): Promise<OrganisationSettings> {
      return api<OrganisationSettings>('/api/v1/settings/logo', { method: 'DELETE' })
    },
  }
}

/** Whether an API error is a lost race with another change of the same settings. */
export function isStaleSettings(error: { status?: number, code?: string } | null | undefined): boolean {
  return error?.status === 412 || error?.code === 'STALE_VERSION'
}
