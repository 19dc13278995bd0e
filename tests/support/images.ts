/**
 * Small images for the logo tests, built here rather than stored as files: PNGs of any size and
 * colour type from their pixels, and one JPEG (48 × 16, baseline, made once by Chromium's canvas
 * encoder: `canvas.toDataURL('image/jpeg', 0.8)`), since nothing here encodes JPEGs.
 */
import { crc32, deflateSync } from 'node:zlib'

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/**
 * A PNG of `width` × `height` 8-bit pixels, RGB (colour type 2) or RGBA (6), every pixel `colour`;
 * `padding` adds an ancillary text chunk of that many bytes (to make a file of a given size).
 */
export function pngImage(width: number, height: number, options: { alpha?: boolean, colour?: number[], padding?: number } = {}): Buffer {
  const alpha = options.alpha ?? false
  const colour = options.colour ?? (alpha ? [26, 95, 180, 200] : [26, 95, 180])
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => colour).flat())])
  return pngFromRows(width, height, alpha, Buffer.concat(Array.from({ length: height }, () => row)), options.padding)
}

/**
 * A PNG whose header says \`width\` × \`height\` (8-bit RGB, or RGBA with \`alpha\`) and whose image
 * data is \`rows\` as given: filter bytes and pixels, right or (for the refusal tests) wrong.
 */
export function pngFromRows(width: number, height: number, alpha: boolean, rows: Buffer, padding?: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8
  header[9] = alpha ? 6 : 2
  const chunks = [chunk('IHDR', header)]
  if (padding) chunks.push(chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(padding, 0x61)])))
  chunks.push(chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), ...chunks])
}

/** A 48 × 16 baseline JPEG. */
export const JPEG_48x16 = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQADADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwAF/8QAJhAAAAEKBwEAAAAAAAAAAAAAEgACBQYRFBcyZqQBBBMWIzHjQf/EABUBAQEAAAAAAAAAAAAAAAAAAAQG/8QAIREAAAQGAwEAAAAAAAAAAAAAAAEUMQQREhNhgSTB8CX/2gAMAwEAAhEDEQA/AMFSEBuhaMkh3l1eR82mMITDjpW4NlZ39JVgHUlh6EVKQn9rrRkkw7PTsPh1ACEYcbMzFkzevhKsfKbv/MqqNWXCTtLD7E/CpqDvPPPQoB1JYehUA6ksPQqPlN3/AJlR8pu/8yJ9T1ITwPVCgHUlh6EVLugNrrRnUO8vTsDm0wCEYadK3FkzO/hKsfKbv/Mipd0/uhaM6mHZ1eQcOoMITDTZmYNlb19JcEsuGoaWH0DRSagrLzz2P//Z', 'base64')

/** An SVG logo, which is refused whatever it is called (it can carry scripts). */
export const SVG_LOGO = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>')
