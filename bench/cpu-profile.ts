/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `BENCH_CPU_PROF=<folder> npm run
 * bench:ledger`): the share of samples per group, each sample attributed to the innermost frame's
 * library (a socket write counts for the library that issued it), so the table says where the
 * server's thread spends its time. A native frame (no script, e.g. a socket write) or one of Node's
 * own (`node:net`) counts for the nearest caller outside Node, so a write to PostgreSQL counts for
 * postgres.js; what Node runs on its own (reading a socket, parsing HTTP) stays Node's.
 *
 * Run: `npx tsx bench/cpu-profile.ts <file.cpuprofile> [requests]` — with `requests`, also the
 * milliseconds per request of each group.
 */
import { readFileSync } from 'node:fs'

interface Node { id: number, callFrame: { functionName: string, url: string }, children?: number[] }
interface Profile { nodes: Node[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

/** First match wins: a frame's script URL (or function name for V8's own entries) to a group. */
const GROUPS: Array<[string, RegExp]> = [
  ['idle', /^\(idle\)$/],
  ['garbage collector', /^\(garbage collector\)$/],
  ['program (V8, native)', /^\((program|root)\)$/],
  ['postgres.js (protocol, sockets to PostgreSQL)', /node_modules\/postgres\//],
  ['drizzle (query building, row mapping)', /node_modules\/drizzle-orm\//],
  ['ioredis / unstorage (Redis, cache)', /node_modules\/(ioredis|unstorage|@ioredis|redis-errors|cluster-key-slot|denque)\//],
  ['jose (JWT verify)', /node_modules\/jose\//],
  ['zod (validation)', /node_modules\/zod\//],
  ['decimal.js', /node_modules\/decimal\.js/],
  ['h3 / nitro runtime (routing, body, middleware, response; bundled)', /(node_modules\/(h3|nitropack|radix3|ufo|destr|cookie-es|uncrypto|defu|hookable|unenv)\/|\.output\/server\/chunks\/nitro\/)/],
  ['password strength (zxcvbn: sign-ups and sign-ins, not postings)', /node_modules\/@zxcvbn-ts\//],
  ['app: ledger domain', /chunks\/.*(posting|entries|ledger)/],
  ['app: other server code', /\.output\/server\//],
  ['node: http, net, streams, timers', /^node:/],
]

function groupOf(frame: Node['callFrame']): string {
  const key = frame.url || `(${frame.functionName.replace(/^\(|\)$/g, '')})`
  for (const [name, pattern] of GROUPS) if (pattern.test(key)) return name
  return frame.url ? 'other libraries' : 'native / builtins'
}

function main() {
  const [file, requestsArg] = process.argv.slice(2)
  if (!file) throw new Error('usage: tsx bench/cpu-profile.ts <file.cpuprofile> [requests]')
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const ours = (frame: Node['callFrame']) => frame.url !== '' && !frame.url.startsWith('node:')
  /** The sampled frame, or for a native or Node-internal one its nearest caller outside Node. */
  const attributed = (id: number): Node['callFrame'] => {
    const own = byId.get(id)!.callFrame
    if (ours(own) || /^\((idle|garbage collector|program|root)\)$/.test(own.functionName)) return own
    let nodeFrame = own.url ? own : undefined
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame
      if (ours(frame)) return frame
      nodeFrame ??= frame.url ? frame : undefined
    }
    return nodeFrame ?? own
  }
  const micros = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const group = groupOf(attributed(id))
    micros.set(group, (micros.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  const total = [...micros.values()].reduce((a, b) => a + b, 0)
  const requests = requestsArg ? Number(requestsArg) : undefined
  console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled, ${profile.samples.length} samples`)
  console.log(`| group | share | ${requests ? 'ms per request |' : ''}`)
  console.log(`|---|---|${requests ? '---|' : ''}`)
  for (const [group, us] of [...micros].sort((a, b) => b[1] - a[1])) {
    const share = `${(100 * us / total).toFixed(1)}%`
    console.log(`| ${group} | ${share} |${requests ? ` ${(us / 1000 / requests).toFixed(2)} |` : ''}`)
  }
}

main()
