/**
 * Stored files (report exports) through unstorage: the filesystem under `DATA_DIR/files` by
 * default, an S3-compatible bucket with FILE_STORAGE=s3.
 *
 * A file is stored as numbered parts of at most PART_SIZE bytes, so writing and reading a file of
 * any size keeps one part in memory, on any driver. A file is written under a temporary prefix
 * and only then copied to its final key ("renamed": unstorage has no rename across drivers), so a
 * reader never sees a half-written file.
 */
import { Readable, Writable } from 'node:stream'
import { resolve } from 'node:path'
import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import s3Driver from 'unstorage/drivers/s3'
import { useConfig } from './config'

export const PART_SIZE = 4 * 1024 * 1024

let storage: Storage | undefined

export function useFileStorage(): Storage {
  if (!storage) {
    const { files, dataDir } = useConfig()
    storage = createStorage({
      driver: files.driver === 's3'
        ? s3Driver({ endpoint: files.endpoint, region: files.region, bucket: files.bucket, accessKeyId: files.accessKeyId, secretAccessKey: files.secretAccessKey })
        : fsDriver({ base: resolve(dataDir, 'files') }),
    })
  }
  return storage
}

const partKey = (prefix: string, n: number) => `${prefix}:${String(n).padStart(6, '0')}`

export interface StoredFile { parts: number, size: number }

/** A writable stream that stores what it is given as parts under `prefix`. */
export function createPartWriter(prefix: string): Writable & { stored: () => StoredFile } {
  const store = useFileStorage()
  let buffered: Buffer[] = []
  let length = 0
  let parts = 0
  let size = 0
  const flush = async () => {
    if (!length) return
    parts += 1
    size += length
    await store.setItemRaw(partKey(prefix, parts), Buffer.concat(buffered, length))
    buffered = []
    length = 0
  }
  const writer = new Writable({
    highWaterMark: PART_SIZE,
    write(chunk: Buffer, _encoding, done) {
      buffered.push(chunk)
      length += chunk.length
      if (length < PART_SIZE) return done()
      flush().then(() => done(), done)
    },
    final(done) {
      flush().then(() => done(), done)
    },
  })
  return Object.assign(writer, { stored: () => ({ parts, size }) })
}

/** Copies a file's parts from one prefix to another, one part at a time. */
export async function copyParts(from: string, to: string, parts: number): Promise<void> {
  const store = useFileStorage()
  for (let n = 1; n <= parts; n++) {
    const part = await store.getItemRaw<Buffer>(partKey(from, n))
    if (!part) throw new Error(`stored part ${n} of ${from} is missing`)
    await store.setItemRaw(partKey(to, n), part)
  }
}

/** Removes every key under `prefix` (a file's parts, or abandoned temporary parts). */
export async function removeFiles(prefix: string): Promise<void> {
  const store = useFileStorage()
  const keys = await store.getKeys(prefix)
  for (const key of keys) await store.removeItem(key)
}

/** Streams a stored file's parts in order. */
export function readParts(prefix: string, parts: number): Readable {
  const store = useFileStorage()
  let n = 0
  return new Readable({
    async read() {
      n += 1
      if (n > parts) return void this.push(null)
      try {
        const part = await store.getItemRaw<Buffer>(partKey(prefix, n))
        if (!part) throw new Error(`stored part ${n} of ${prefix} is missing`)
        this.push(Buffer.isBuffer(part) ? part : Buffer.from(part as Uint8Array))
      }
      catch (err) {
        this.destroy(err as Error)
      }
    },
  })
}

export async function closeFiles(): Promise<void> {
  await storage?.dispose()
  storage = undefined
}
