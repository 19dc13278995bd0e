/**
 * Report files written as a stream, row batch by row batch, in the three formats: what the
 * export runner uses for reports too large to build whole (the general ledger). Each sink waits
 * for its output to drain (backpressure), so memory stays bounded whatever the row count. Small
 * reports are built whole by ./export.ts instead.
 */
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js'
import PDFDocument from 'pdfkit'
import { PART_SIZE } from '../../core/files'
import { csvField, type ReportColumn, type ReportFormat, type ReportTable } from './export'

/** Writes `chunk`, waiting for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
}

/** A table written row batch by row batch in one of the three formats. */
export interface TableSink {
  rows: (rows: string[][]) => Promise<void>
  end: () => Promise<void>
}

function csvSink(out: Writable, table: Pick<ReportTable, 'columns'>): TableSink {
  const line = (row: string[]) => row.map(csvField).join(',') + '\r\n'
  let header: string | undefined = line(table.columns.map(c => c.label))
  return {
    async rows(rows) {
      await write(out, (header ?? '') + rows.map(line).join(''))
      header = undefined
    },
    async end() {
      if (header) await write(out, header)
      out.end()
      await finished(out)
    },
  }
}

/** Chunks (64 KiB each) of sheet XML that may wait for the zip before rows are added again. */
const XLSX_MAX_BACKLOG_CHUNKS = 16

function xlsxSink(out: Writable, table: Omit<ReportTable, 'rows'>): TableSink {
  const workbook = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Paksa Financial'
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '))
  // Widths are fixed up front: a streamed sheet cannot be measured after its rows are gone.
  sheet.columns = table.columns.map(c => ({ width: c.amount ? 16 : Math.min(48, 12 * (c.weight ?? 1)) }))
  const title = sheet.addRow([table.title])
  title.font = { bold: true, size: 14 }
  title.commit()
  sheet.addRow([table.subtitle]).commit()
  sheet.addRow([]).commit()
  const header = sheet.addRow(table.columns.map(c => c.label))
  header.font = { bold: true }
  header.commit()
  const sheetBacklog = () => (sheet as unknown as { stream: { buffers: unknown[] } }).stream.buffers.length
  return {
    async rows(rows) {
      for (const values of rows) {
        // Amounts become spreadsheet numbers for display and sums; the figures were computed as decimals.
        const row = sheet.addRow(values.map((v, i) => table.columns[i]?.amount && v !== '' ? Number(v) : v))
        table.columns.forEach((c, i) => {
          if (c.amount) row.getCell(i + 1).numFmt = '#,##0.00;-#,##0.00'
        })
        row.commit()
      }
      // exceljs keeps the sheet's XML in its own buffer until the zip has deflated it, and writes
      // there without backpressure: wait for that backlog to clear, or a fast database fills memory.
      while (sheetBacklog() > XLSX_MAX_BACKLOG_CHUNKS) await new Promise(resolve => setTimeout(resolve, 5))
      if (out.writableNeedDrain) await once(out, 'drain')
    },
    async end() {
      sheet.commit()
      await workbook.commit()
    },
  }
}

function pdfSink(out: Writable, table: Omit<ReportTable, 'rows'>): TableSink {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `${table.title} — ${table.subtitle}`, Producer: 'Paksa Financial', Creator: 'Paksa Financial' } })
  doc.pipe(out)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const amountWidth = 80
  const columns: ReportColumn[] = table.columns
  const amounts = columns.filter(c => c.amount).length
  const weights = columns.reduce((s, c) => s + (c.amount ? 0 : c.weight ?? 1), 0)
  const widths = columns.map(c => c.amount ? amountWidth : (width - amounts * amountWidth) * (c.weight ?? 1) / Math.max(1, weights))
  const bottom = doc.page.height - doc.page.margins.bottom
  const line = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8)
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 4 })), 10)
    if (doc.y + height > bottom) doc.addPage()
    const y = doc.y
    let x = left
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: widths[i]! - 4, align: columns[i]?.amount ? 'right' : 'left' })
      x += widths[i]!
    })
    doc.x = left
    doc.y = y + height + 3
  }
  doc.font('Helvetica-Bold').fontSize(14).text(table.title, left)
  doc.font('Helvetica').fontSize(9).text(table.subtitle, left).moveDown()
  line(columns.map(c => c.label), true)
  return {
    async rows(rows) {
      for (const row of rows) line(row, /^(Opening|Closing) balance$/.test(row[2] ?? ''))
      // pdfkit pushes without backpressure: let what it has produced reach the file first.
      while (doc.readableLength > PART_SIZE) await new Promise(resolve => setTimeout(resolve, 5))
      if (out.writableNeedDrain) await once(out, 'drain')
    },
    async end() {
      doc.end()
      await finished(out)
    },
  }
}

export function sinkFor(format: ReportFormat, out: Writable, table: Omit<ReportTable, 'rows'>): TableSink {
  return format === 'csv' ? csvSink(out, table) : format === 'xlsx' ? xlsxSink(out, table) : pdfSink(out, table)
}
