/**
 * exceljs's streaming workbook writer alone (see exceljs-workbook.d.ts for why the package main
 * is not imported): rows are committed to the zip stream as they are added, not kept.
 */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type { stream } from 'exceljs'

  const WorkbookWriterClass: typeof stream.xlsx.WorkbookWriter
  export default WorkbookWriterClass
}
