/** Nitro's `raw:` imports (its rollup raw plugin): the file's text, inlined at build time. */
declare module 'raw:*' {
  const content: string
  export default content
}
