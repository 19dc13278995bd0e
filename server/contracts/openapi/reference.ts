/**
 * The /api/docs page: Scalar's API reference (operations with their parameters, request and
 * response bodies, examples and errors) rendering /api/v1/openapi.json. The renderer script is
 * served from this server (server/routes/api/docs/[asset].get.ts); the page's one inline script
 * carries the response's CSP nonce.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

export interface ApiReferencePage { scriptPath: string, nonce: string }

export function renderApiReference({ scriptPath, nonce }: ApiReferencePage): string {
  const configuration = {
    url: '/api/v1/openapi.json',
    // Everything stays on this origin: no web fonts, no telemetry, no hosted proxy or AI agent.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    showDeveloperTools: 'never',
    documentDownloadType: 'json',
    showOperationId: true,
    expandAllResponses: true,
    defaultOpenAllTags: true,
    hideClientButton: true,
    orderRequiredPropertiesFirst: true,
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Paksa Financial API — reference</title>
</head>
<body>
<div id="api-reference"></div>
<script src="${esc(scriptPath)}" nonce="${esc(nonce)}"></script>
<script nonce="${esc(nonce)}">Scalar.createApiReference('#api-reference', ${JSON.stringify(configuration).replace(/</g, '\\u003c')})</script>
</body>
</html>
`
}
