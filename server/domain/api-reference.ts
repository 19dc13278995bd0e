/** A static HTML reference page for the OpenAPI document: operations grouped by tag, with schemas. */
import { openApiDocument } from './openapi'

interface Op { summary: string, tags: string[], description?: string, parameters: { name: string, in: string, required: boolean }[], requestBody?: { content: Record<string, { schema: unknown }> }, responses: Record<string, { description: string }> }

const esc = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

export function renderApiReference(): string {
  const doc = openApiDocument() as { info: { title: string, description: string }, paths: Record<string, Record<string, Op>> }
  const byTag = new Map<string, string[]>()
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters.map(p => `<code>${esc(p.name)}</code> <small>${p.in}${p.required ? ', required' : ''}</small>`).join(' · ')
      const body = op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody.content['application/json']?.schema, null, 2))}</pre></details>` : ''
      const responses = Object.entries(op.responses).map(([code, r]) => `<span class="s s${code[0]}">${code}</span> ${esc(r.description)}`).join('<br>')
      const html = `<article><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)}${op.description ? ` — ${esc(op.description).replace(/`([^`]+)`/g, '<code>$1</code>')}` : ''}</p>${params ? `<p>${params}</p>` : ''}${body}<p class="r">${responses}</p></article>`
      const tag = op.tags[0] ?? 'Other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), html])
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<section><h2 id="${esc(tag)}">${esc(tag)}</h2>${ops.join('')}</section>`).join('')
  const nav = [...byTag.keys()].map(t => `<a href="#${esc(t)}">${esc(t)}</a>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(doc.info.title)} — reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b2430;background:#f6f8fb}header{background:#1F4E79;color:#fff;padding:24px 32px}header a{color:#cfe3f7}nav{padding:12px 32px;background:#fff;border-bottom:1px solid #dde3ea;position:sticky;top:0}nav a{margin-right:16px;color:#1F4E79}main{max-width:980px;margin:0 auto;padding:16px 32px}article{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:4px 16px;margin:12px 0}h3{font-size:15px}.m{display:inline-block;min-width:56px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}.get{background:#2e7d32}.post{background:#1565c0}.patch{background:#ef6c00}.delete{background:#c62828}.put{background:#6a1b9a}pre{background:#f0f3f7;padding:8px;overflow:auto;font-size:12px}.s{font-weight:600}.s2{color:#2e7d32}.s4{color:#c62828}.r{font-size:13px}</style></head>
<body><header><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description).replace(/`([^`]+)`/g, '<code>$1</code>')}</p><p><a href="/api/v1/openapi.json">openapi.json</a></p></header><nav>${nav}</nav><main>${sections}</main></body></html>`
}
