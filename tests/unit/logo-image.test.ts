/**
 * What an uploaded logo is, from its bytes (server/domain/settings/logo-image.ts): PNGs and JPEGs
 * that decode, with their pixel size; everything else refused with its code.
 */
import PDFDocument from 'pdfkit'
import { describe, expect, it } from 'vitest'
import { inspectLogo } from '../../server/domain/settings/logo-image'
import { LOGO_MAX_BYTES } from '../../server/domain/settings/logo-rules'
import { JPEG_48x16, pngFromRows, pngImage, SVG_LOGO } from '../support/images'

const refusal = (bytes: Buffer) => {
  try {
    inspectLogo(bytes)
  }
  catch (error) {
    return error as { status: number, code: string, message: string }
  }
  throw new Error('not refused')
}

describe('a logo is what its bytes say', () => {
  it('reads the type and pixel size of a PNG (RGB and RGBA) and of a JPEG', () => {
    expect(inspectLogo(pngImage(120, 40))).toEqual({ mediaType: 'image/png', width: 120, height: 40 })
    expect(inspectLogo(pngImage(3, 7, { alpha: true }))).toEqual({ mediaType: 'image/png', width: 3, height: 7 })
    expect(inspectLogo(JPEG_48x16)).toEqual({ mediaType: 'image/jpeg', width: 48, height: 16 })
  })

  it('refuses SVG, HTML, GIF, text and nothing at all (415 LOGO_UNSUPPORTED_TYPE)', () => {
    for (const bytes of [SVG_LOGO, Buffer.from('<!doctype html><p>hi'), Buffer.from('GIF89a\x01\x00\x01\x00'), Buffer.from('hello'), Buffer.alloc(0)]) {
      expect(refusal(bytes)).toMatchObject({ status: 415, code: 'LOGO_UNSUPPORTED_TYPE' })
    }
    expect(refusal(SVG_LOGO).message).toContain('SVG')
  })

  it('refuses a PNG or JPEG that does not decode (400 LOGO_INVALID)', () => {
    const png = pngImage(20, 10)
    const damaged = Buffer.from(png)
    const idat = png.indexOf('IDAT')
    damaged[idat + 6] = damaged[idat + 6]! ^ 0xFF // inside the image data: the chunk's CRC no longer matches
    const row = (filter: number) => Buffer.concat([Buffer.from([filter]), Buffer.alloc(60, 7)])
    for (const [what, bytes] of [
      ['a damaged chunk', damaged],
      ['a cut-off file', png.subarray(0, png.length - 20)],
      ['a PNG signature and nothing else', png.subarray(0, 8)],
      ['a row fewer than the header says', pngFromRows(20, 10, false, Buffer.concat(Array.from({ length: 9 }, () => row(0))))],
      ['a row more than the header says', pngFromRows(20, 10, false, Buffer.concat(Array.from({ length: 11 }, () => row(0))))],
      ['an unknown row filter', pngFromRows(20, 2, false, Buffer.concat([row(0), row(9)]))],
      ['a JPEG without its frame', Buffer.from([0xFF, 0xD8, 0xFF, 0xD9])],
      ['a JPEG cut off', JPEG_48x16.subarray(0, 300)],
    ] as const) {
      expect(refusal(bytes), what).toMatchObject({ status: 400, code: 'LOGO_INVALID' })
    }
    // The same rows, as many as the header says: taken (the refusals above are for the damage alone).
    expect(inspectLogo(pngFromRows(20, 10, false, Buffer.concat(Array.from({ length: 10 }, () => row(1)))))).toMatchObject({ width: 20, height: 10 })
  })

  it('refuses more than 4096 pixels a side or 4 megapixels (400), and more than 512 KiB (413 LOGO_TOO_LARGE)', () => {
    expect(refusal(pngImage(5000, 1))).toMatchObject({ status: 400, code: 'LOGO_INVALID' })
    expect(refusal(pngImage(2100, 2100))).toMatchObject({ status: 400, code: 'LOGO_INVALID' })
    expect(inspectLogo(pngImage(2048, 2048))).toMatchObject({ width: 2048, height: 2048 })
    const big = pngImage(10, 10, { padding: LOGO_MAX_BYTES })
    expect(refusal(big)).toMatchObject({ status: 413, code: 'LOGO_TOO_LARGE', message: `The logo is ${Math.ceil(big.length / 1024)} KB; it can be at most 512 KB` })
  })

  it('takes only what pdfkit then draws without an error', async () => {
    for (const image of [pngImage(30, 10), pngImage(30, 10, { alpha: true }), JPEG_48x16]) {
      inspectLogo(image)
      const doc = new PDFDocument()
      const done = new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = []
        doc.on('data', (c: Buffer) => chunks.push(c))
        doc.on('end', () => resolve(Buffer.concat(chunks)))
        doc.on('error', reject)
      })
      doc.image(image, 10, 10, { height: 36 })
      doc.end()
      expect((await done).toString('latin1')).toContain('/Subtype /Image')
    }
  })
})
