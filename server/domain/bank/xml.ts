/**
 * XML as the statement parsers read it: streamed through saxes (a conforming, non-validating
 * parser that never fetches anything), with any DTD refused — so no entity is declared and none
 * expands, internal or external (SPEC §4: XML with DTDs and external entities off). Only the
 * elements a parser asks for are built, as small trees, and handed over one at a time; the rest of
 * the document is passed through without being kept, so a 100,000-entry CAMT file costs one entry
 * of memory at a time.
 */
import { SaxesParser } from 'saxes'
import { StatementError } from './statement'

export interface XmlNode {
  name: string
  attributes: Record<string, string>
  text: string
  children: XmlNode[]
  /** One-based line of the element's start tag. */
  line: number
}

/** The local name (`ns2:Ntry` → `Ntry`). */
const local = (name: string) => name.slice(name.indexOf(':') + 1)

/** The first child with this local name, its path followed (`child(n, 'Acct', 'Id', 'IBAN')`). */
export function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let at = node
  for (const name of path) at = at?.children.find(c => c.name === name)
  return at
}

/** The trimmed text at the path, or null when the element is missing or empty. */
export function textAt(node: XmlNode | undefined, ...path: string[]): string | null {
  const t = child(node, ...path)?.text.trim()
  return t ? t : null
}

export const children = (node: XmlNode | undefined, name: string) => node?.children.filter(c => c.name === name) ?? []

/** A document fed piece by piece: `write` each chunk, then `close`; both throw StatementError at a fault. */
export interface XmlWalker {
  write: (chunk: string) => void
  close: () => void
}

/**
 * Streams `chunks` and calls `onNode(node, path)` for every element whose local name is in
 * `collect`, once it is complete (`path`: the local names of its ancestors). `onOpen(name, path)`
 * is told of every element start (a parser uses it to see a new statement begin). A malformed
 * document throws StatementError with the line of the fault.
 */
export function walkXml(chunks: Iterable<string>, collect: ReadonlySet<string>, onNode: (node: XmlNode, path: readonly string[]) => void, onOpen?: (name: string, path: readonly string[]) => void): void {
  const walker = xmlWalker(collect, onNode, onOpen)
  for (const chunk of chunks) walker.write(chunk)
  walker.close()
}

/**
 * walkXml as a writer the caller feeds (the worker reads a stored file part by part and reports
 * progress between parts).
 */
export function xmlWalker(collect: ReadonlySet<string>, onNode: (node: XmlNode, path: readonly string[]) => void, onOpen?: (name: string, path: readonly string[]) => void): XmlWalker {
  const parser = new SaxesParser({ xmlns: false, position: true })
  const path: string[] = []
  const building: XmlNode[] = []
  let fault: StatementError | null = null
  const fail = (reason: string) => {
    fault ??= new StatementError({ [`line ${parser.line}`]: reason })
  }
  parser.on('doctype', () => fail('a DTD (DOCTYPE) is not allowed'))
  parser.on('error', err => fail(err.message.replace(/^(?:.*?:)?\d+:\d+: /, '')))
  parser.on('opentag', (tag) => {
    const name = local(tag.name)
    onOpen?.(name, path)
    if (building.length || collect.has(name)) {
      const node: XmlNode = { name, attributes: tag.attributes as Record<string, string>, text: '', children: [], line: parser.line }
      building.at(-1)?.children.push(node)
      building.push(node)
    }
    path.push(name)
  })
  const text = (t: string) => {
    const top = building.at(-1)
    if (top) top.text += t
  }
  parser.on('text', text)
  parser.on('cdata', text)
  parser.on('closetag', () => {
    path.pop()
    const node = building.pop()
    if (node && !building.length) onNode(node, path)
  })
  const guarded = (step: () => void) => {
    if (fault) throw fault
    try {
      step()
    }
    catch (e) {
      if (e instanceof StatementError) throw e
      fail(e instanceof Error ? e.message : String(e))
    }
    if (fault) throw fault
  }
  return {
    write: chunk => guarded(() => parser.write(chunk)),
    close: () => guarded(() => parser.close()),
  }
}
