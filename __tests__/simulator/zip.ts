// A minimal zip writer for the run-log archives: stored entries (no compression), streamed. Each
// entry's content is generated twice (once for its CRC-32 and size, once to send), so local headers
// carry the real sizes and no data descriptors are needed: streaming unzippers can read it too.
// No zip64: an entry or the archive beyond 4 GiB is refused.
import { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'

export interface ZipEntry {
  name: string
  /** Epoch milliseconds, stored as a DOS date and time (UTC). */
  modifiedMs: number
  /** The content in chunks; called twice, must give the same bytes both times. */
  chunks: () => Iterable<string | Buffer>
}

const LIMIT = 0xffffffff
const UTF8_NAMES = 0x0800

function dosDateTime(ms: number): { date: number; time: number } {
  const d = new Date(ms)
  const year = Math.max(1980, d.getUTCFullYear())
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2)
  }
}

function measure(entry: ZipEntry): { crc: number; size: number } {
  let crc = 0
  let size = 0
  for (const chunk of entry.chunks()) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    crc = crc32(bytes, crc)
    size += bytes.length
  }
  if (size > LIMIT) throw new Error(`zip entry ${entry.name} is too large`)
  return { crc, size }
}

function* zipChunks(entries: ZipEntry[]): Generator<Buffer> {
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const { crc, size } = measure(entry)
    const { date, time } = dosDateTime(entry.modifiedMs)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(UTF8_NAMES, 6)
    local.writeUInt16LE(0, 8) // stored
    local.writeUInt16LE(time, 10)
    local.writeUInt16LE(date, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(size, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    yield Buffer.concat([local, name])
    for (const chunk of entry.chunks()) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk

    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE((3 << 8) | 20, 4) // made by: Unix, 2.0
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(UTF8_NAMES, 8)
    header.writeUInt16LE(0, 10)
    header.writeUInt16LE(time, 12)
    header.writeUInt16LE(date, 14)
    header.writeUInt32LE(crc, 16)
    header.writeUInt32LE(size, 20)
    header.writeUInt32LE(size, 24)
    header.writeUInt16LE(name.length, 28)
    // extra length, comment length, disk number, internal attributes: 0
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38) // external attributes: a regular rw-r--r-- file
    header.writeUInt32LE(offset, 42)
    central.push(header, name)
    offset += local.length + name.length + size
    if (offset > LIMIT) throw new Error('zip archive is too large')
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  yield directory
  yield end
}

/** The archive as a stream (entries generated lazily, honouring back-pressure). */
export function zipStream(entries: ZipEntry[]): Readable {
  if (entries.length > 0xffff) throw new Error('too many zip entries')
  return Readable.from(zipChunks(entries))
}
