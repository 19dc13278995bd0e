/**
 * The workbook class alone: exceljs's main entry also loads its streaming reader, whose unzip
 * dependency tree does not survive the server build's file tracing.
 */
declare module 'exceljs/lib/doc/workbook.js' {
  import type { Workbook } from 'exceljs'

  const WorkbookClass: typeof Workbook
  export default WorkbookClass
}
