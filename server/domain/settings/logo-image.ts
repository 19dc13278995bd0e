/**
 * What an uploaded logo is, found from its bytes alone (SPEC §4 Files: type-sniffed, never trusted
 * by name or header): a PNG or a JPEG that decodes far enough to know its pixel size, within the
 * limits below; anything else (SVG, HTML, GIF, a PDF, garbage, a truncated image) is refused.
 *
 * The check is stricter than what draws the logo later (pdfkit and its png-js): a PNG's chunks are
 * walked with their CRCs, its image data inflated to exactly the size its header promises and every
 * row's filter checked, because png-js throws from inside a zlib callback on a broken stream, which
 * no caller could catch. Nothing stored can then fail when a statement is printed.
 */
import { crc32, inflateSync } from 'node:zlib'
import { DomainError, ValidationError } from '../errors'
import { LOGO_MAX_BYTES, LOGO_MAX_PIXELS, LOGO_MAX_SIDE, LOGO_MESSAGES, type LogoMediaType } from './logo-rules'

export interface LogoImage { mediaType: LogoMediaType, width: number, height: number }

/** 415: not a PNG or a JPEG at all. */
export class UnsupportedLogoError extends DomainError {
  constructor(what: string) {
    super(415, 'LOGO_UNSUPPORTED_TYPE', `${LOGO_MESSAGES.unsupported}; this is ${what}`, { file: 'must be a PNG or JPEG image' })
  }
}

/** 400: a PNG or JPEG by its signature that does not decode, or is too large in pixels. */
function invalid(reason: string): ValidationError {
  return new ValidationError(`The logo image is damaged or not usable: ${reason}`, { file: reason }, 'LOGO_INVALID')
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

/** What the first bytes look like, for the refusal's message. */
function describe(bytes: Buffer): string {
  const head = bytes.subarray(0, 256).toString('latin1').trimStart().toLowerCase()
  if (head.startsWith('<?xml') || head.includes('<svg')) return 'an SVG image (SVG can carry scripts, so it is not taken)'
  if (head.startsWith('<')) return 'an HTML or XML document'
  if (head.startsWith('gif8')) return 'a GIF image'
  if (head.startsWith('%pdf')) return 'a PDF document'
  if (head.startsWith('riff') && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'a WebP image'
  return 'not an image this service reads'
}

function checkSize(width: number, height: number) {
  if (width < 1 || height < 1) throw invalid('the image has no pixels')
  if (width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE || width * height > LOGO_MAX_PIXELS) {
    throw invalid(`the image is ${width} × ${height} pixels; a logo can be at most ${LOGO_MAX_SIDE} pixels on a side and ${LOGO_MAX_PIXELS / 1024 / 1024} megapixels`)
  }
}

/** Bits per pixel of each PNG colour type, by the bit depths it allows. */
const PNG_COLOUR_TYPES: Record<number, { channels: number, depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
}

/** Bytes of inflated image data a PNG of this size has: rows of (filter byte + packed pixels), per Adam7 pass when interlaced. */
function pngDataLength(width: number, height: number, bitsPerPixel: number, interlaced: boolean): { total: number, rows: { offset: number, rowBytes: number }[] } {
  const passes = interlaced
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const
    : [[0, 0, 1, 1]] as const
  const rows: { offset: number, rowBytes: number }[] = []
  let total = 0
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx)
    const h = Math.ceil((height - y0) / dy)
    if (w <= 0 || h <= 0) continue
    const rowBytes = Math.ceil(w * bitsPerPixel / 8)
    for (let r = 0; r < h; r++) {
      rows.push({ offset: total, rowBytes })
      total += 1 + rowBytes
    }
  }
  return { total, rows }
}

function inspectPng(bytes: Buffer): LogoImage {
  let pos = 8
  let header: { width: number, height: number, depth: number, colourType: number, interlaced: boolean } | undefined
  let palette = false
  let ended = false
  const data: Buffer[] = []
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) throw invalid('the PNG ends in the middle of a chunk')
    const length = bytes.readUInt32BE(pos)
    const type = bytes.toString('latin1', pos + 4, pos + 8)
    if (length > bytes.length - pos - 12) throw invalid(`the PNG's ${type} chunk is cut short`)
    const body = bytes.subarray(pos + 8, pos + 8 + length)
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length)) throw invalid(`the PNG's ${type} chunk is damaged (CRC mismatch)`)
    pos += 12 + length
    if (!header && type !== 'IHDR') throw invalid('the PNG does not start with its header chunk')
    if (type === 'IHDR') {
      if (header || length !== 13) throw invalid('the PNG header chunk is malformed')
      const colourType = body[9]!
      const depth = body[8]!
      const kind = PNG_COLOUR_TYPES[colourType]
      if (!kind || !kind.depths.includes(depth)) throw invalid(`colour type ${colourType} at ${depth} bits is not a valid PNG`)
      if (body[10] !== 0 || body[11] !== 0 || body[12]! > 1) throw invalid('the PNG uses an unknown compression, filter or interlace method')
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth, colourType, interlaced: body[12] === 1 }
      checkSize(header.width, header.height)
    }
    else if (type === 'PLTE') palette = length > 0 && length % 3 === 0 && length <= 768
    else if (type === 'IDAT') data.push(body)
    else if (type === 'IEND') {
      ended = true
      break
    }
    // Any other chunk a reader must understand (its name starts upper-case) is one this one does not.
    else if (type.charCodeAt(0) >= 0x41 && type.charCodeAt(0) <= 0x5A) throw invalid(`the PNG has a ${type} chunk this service does not read`)
  }
  if (!header) throw invalid('the PNG has no header')
  if (!ended) throw invalid('the PNG ends before its IEND chunk')
  if (!data.length) throw invalid('the PNG has no image data')
  if (header.colourType === 3 && !palette) throw invalid('the PNG has palette colours but no valid palette')
  const { width, height, depth, colourType, interlaced } = header
  const expected = pngDataLength(width, height, PNG_COLOUR_TYPES[colourType]!.channels * depth, interlaced)
  let pixels: Buffer
  try {
    // One byte more than promised is enough to tell a too-long stream; a zip bomb stops there.
    pixels = inflateSync(Buffer.concat(data), { maxOutputLength: expected.total + 1 })
  }
  catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw invalid(`the PNG's image data is longer than a ${width} × ${height} image`)
    throw invalid('the PNG\'s image data does not decompress')
  }
  if (pixels.length !== expected.total) throw invalid(`the PNG's image data is ${pixels.length < expected.total ? 'shorter' : 'longer'} than a ${width} × ${height} image`)
  for (const row of expected.rows) {
    if (pixels[row.offset]! > 4) throw invalid('the PNG\'s image data has an unknown row filter')
  }
  return { mediaType: 'image/png', width, height }
}

/** Start-of-frame markers PDF viewers decode (baseline, extended, progressive Huffman). */
const JPEG_FRAMES = new Set([0xC0, 0xC1, 0xC2])
const JPEG_OTHER_FRAMES = new Set([0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF])

function inspectJpeg(bytes: Buffer): LogoImage {
  let pos = 2
  let frame: { width: number, height: number } | undefined
  while (pos < bytes.length) {
    if (bytes[pos] !== 0xFF) throw invalid('the JPEG\'s segments are malformed')
    while (bytes[pos] === 0xFF) pos++
    const marker = bytes[pos++]
    if (marker === undefined) break
    // Markers without a length: restart markers and TEM.
    if ((marker >= 0xD0 && marker <= 0xD7) || marker === 0x01) continue
    if (marker === 0xD9) break
    if (pos + 2 > bytes.length) throw invalid('the JPEG ends in the middle of a segment')
    const length = bytes.readUInt16BE(pos)
    if (length < 2 || pos + length > bytes.length) throw invalid('the JPEG has a segment cut short')
    if (JPEG_OTHER_FRAMES.has(marker)) throw invalid('the JPEG uses a lossless or arithmetic-coded encoding that documents cannot show')
    if (JPEG_FRAMES.has(marker)) {
      if (frame || length < 8) throw invalid('the JPEG\'s frame header is malformed')
      const precision = bytes[pos + 2]!
      const components = bytes[pos + 7]!
      if (precision !== 8) throw invalid(`the JPEG has ${precision}-bit samples; documents take 8-bit JPEGs`)
      if (![1, 3, 4].includes(components) || length !== 8 + 3 * components) throw invalid(`the JPEG has ${components} colour components`)
      frame = { height: bytes.readUInt16BE(pos + 3), width: bytes.readUInt16BE(pos + 5) }
      checkSize(frame.width, frame.height)
    }
    if (marker === 0xDA) {
      if (!frame) throw invalid('the JPEG\'s image data comes before its frame header')
      // The entropy-coded data runs to the end-of-image marker.
      if (bytes.lastIndexOf(Buffer.from([0xFF, 0xD9])) < pos + length) throw invalid('the JPEG ends before its end-of-image marker')
      return { mediaType: 'image/jpeg', ...frame }
    }
    pos += length
  }
  throw invalid('the JPEG has no image data')
}

/**
 * The logo's type and pixel size from its bytes: 413 LOGO_TOO_LARGE over LOGO_MAX_BYTES,
 * 415 LOGO_UNSUPPORTED_TYPE for anything but a PNG or JPEG signature, 400 LOGO_INVALID for one
 * that does not decode or is too large in pixels.
 */
export function inspectLogo(bytes: Buffer): LogoImage {
  if (bytes.length > LOGO_MAX_BYTES) throw new LogoTooLargeError(bytes.length)
  if (bytes.length >= PNG_SIGNATURE.length && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return inspectPng(bytes)
  if (bytes.length >= 3 && bytes[0] === 0xFF && bytes[1] === 0xD8 && bytes[2] === 0xFF) return inspectJpeg(bytes)
  throw new UnsupportedLogoError(bytes.length ? describe(bytes) : 'empty')
}

/** 413: more bytes than a logo may have. */
export class LogoTooLargeError extends DomainError {
  constructor(size: number) {
    super(413, 'LOGO_TOO_LARGE', LOGO_MESSAGES.tooLarge(size), { file: `must be at most ${LOGO_MAX_BYTES / 1024} KB` })
  }
}
