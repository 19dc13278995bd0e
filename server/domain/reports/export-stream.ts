/**
 * Report files written as a stream, row batch by row batch, in the three formats: what the
 * export runner uses for reports too large to build whole (the general ledger). Each sink waits
 * for its output to drain (backpressure), so memory stays bounded whatever the row count. The PDF
 * is the same base as a whole report's (./export.ts `pdfTableWriter`), the XLSX carries the same
 * organisation, period and number format; small reports are built whole by ./export.ts.
 */
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js'
import { DEFAULT_FORMAT_SETTINGS, spreadsheetNumberFormat } from '../../../shared/format'
import { PART_SIZE } from '../../core/files'
import { csvField, pdfTableWriter, periodLabel, type RenderOptions, type ReportFormat, type ReportTable } from './export'

/** Writes `chunk`, waiting for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
}

/**
 * A streamed table's head: everything but the rows, and the decimals of its amounts (the currency's
 * minor unit), which cannot be measured from rows that are gone by the time the file ends.
 */
export type StreamedTable = Omit<ReportTable, 'rows'> & { places: number }

/** A table written row batch by row batch in one of the three formats. */
export interface TableSink {
  rows: (rows: string[][]) => Promise<void>
  end: () => Promise<void>
}

function csvSink(out: Writable, table: Pick<ReportTable, 'columns'>): TableSink {
  const line = (row: string[]) => row.map(v => csvField(v)).join(',') + '\r\n'
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

function xlsxSink(out: Writable, table: StreamedTable, options: RenderOptions): TableSink {
  const workbook = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Paksa Financial'
  if (options.organisation) workbook.company = options.organisation
  const numFmt = spreadsheetNumberFormat(options.settings?.negativeStyle ?? DEFAULT_FORMAT_SETTINGS.negativeStyle, table.places)
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '))
  // Widths are fixed up front: a streamed sheet cannot be measured after its rows are gone.
  sheet.columns = table.columns.map(c => ({ width: c.amount ? 16 : Math.min(48, 12 * (c.weight ?? 1)) }))
  const title = sheet.addRow([table.title])
  title.font = { bold: true, size: 14 }
  title.commit()
  sheet.addRow([[options.organisation, periodLabel(table, options.settings)].filter(Boolean).join(' · ')]).commit()
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
          if (c.amount) row.getCell(i + 1).numFmt = numFmt
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

/** The PDF base of ./export.ts, fed batch by batch: finished pages go out as the rows come. */
function pdfSink(out: Writable, table: StreamedTable, options: RenderOptions): TableSink {
  const pdf = pdfTableWriter(table, options, table.columns.map(c => c.amount ? table.places : 0))
  pdf.doc.pipe(out)
  return {
    async rows(rows) {
      pdf.rows(rows)
      // pdfkit pushes without backpressure: let what it has produced reach the file first.
      while (pdf.doc.readableLength > PART_SIZE) await new Promise(resolve => setTimeout(resolve, 5))
      if (out.writableNeedDrain) await once(out, 'drain')
    },
    async end() {
      pdf.end()
      await finished(out)
    },
  }
}

/**
 * A sink for `format`. `options` (the organisation, its formats, who the file is prepared for)
 * shape the XLSX and PDF as they do a whole file's; the CSV stays the machine-readable file.
 */
export function sinkFor(format: ReportFormat, out: Writable, table: StreamedTable, options: RenderOptions = {}): TableSink {
  return format === 'csv' ? csvSink(out, table) : format === 'xlsx' ? xlsxSink(out, table, options) : pdfSink(out, table, options)
}
