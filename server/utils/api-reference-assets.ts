import { createHash } from 'node:crypto'
// By path: the bundler resolves packages as run-time externals, which the raw import cannot read.
import scalarStandalone from 'raw:../../node_modules/@scalar/api-reference/dist/browser/standalone.js'

/**
 * The API reference renderer (Scalar's standalone bundle), inlined into the server bundle at build
 * time so /api/docs needs no CDN and no node_modules at run time. Served under a URL carrying its
 * content hash, so it can be cached for a year and a new version is fetched at once.
 */
export const apiReferenceScript = {
  body: scalarStandalone,
  path: `/api/docs/reference.${createHash('sha256').update(scalarStandalone).digest('hex').slice(0, 16)}.js`,
}
