import zlib from 'node:zlib';

// An XLSX file is a zip archive, and its reader (exceljs, through JSZip) inflates every entry into
// memory in full before anything can be checked: a 2 MB upload can unpack to gigabytes. The
// central directory at the end of the archive says how large each entry is once unpacked, so it is
// read here first and an archive that would unpack to too much is refused before it is inflated.
// Declared sizes can lie, so each entry is then inflated once with its declared size as the hard
// limit (zlib's maxOutputLength): past that, the reader can trust them.

/**
 * The most an uploaded workbook may unpack to, all entries together. 1000 topics with names and
 * long definitions in three languages unpack to about 2.5 MB; exceljs needs about half a second and
 * 20 MB of memory per MB of dense cells, so 10 MB keeps the worst upload at a few seconds.
 */
export const MAX_UNZIPPED_BYTES = 10 * 1024 * 1024;
/** Unpacked size ÷ file size above which an archive is taken for a zip bomb… */
export const MAX_ZIP_RATIO = 100;
/** …once it unpacks to more than this (small files of repeated markup reach high ratios harmlessly). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
/** A workbook has a few dozen entries. */
export const MAX_ZIP_ENTRIES = 1000;

export type ZipRefusal = 'tooLarge' | 'unreadable';

export class ZipLimitError extends Error {
  constructor(
    readonly reason: ZipRefusal,
    detail: string,
  ) {
    super(`zip refused (${reason}): ${detail}`);
  }
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U16 = 0xffff;
const U32 = 0xffffffff;

interface Entry {
  method: number;
  flags: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

const unreadable = (detail: string) => new ZipLimitError('unreadable', detail);
const tooLarge = (detail: string) => new ZipLimitError('tooLarge', detail);

/** A 64-bit little-endian size as a number; anything beyond the buffer sizes we accept is "too large" anyway. */
function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function need(buf: Buffer, at: number, length: number, what: string) {
  if (at < 0 || length < 0 || at + length > buf.length)
    throw unreadable(`${what} lies outside the file`);
}

/** The End Of Central Directory record: the last one in the file, as JSZip reads it. */
function findEocd(buf: Buffer): number {
  const last = buf.length - 22;
  for (let at = last; at >= 0 && at >= last - U16; at--)
    if (buf.readUInt32LE(at) === EOCD) return at;
  throw unreadable('no end of central directory');
}

/** Where the central directory is, how long, and how many entries it has (ZIP64 records included). */
function centralDirectory(buf: Buffer): {
  offset: number;
  size: number;
  count: number;
  end: number;
} {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  let end = eocd;
  if (count === U16 || size === U32 || offset === U32) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== EOCD64_LOCATOR)
      throw unreadable('ZIP64 locator missing');
    const at = u64(buf, locator + 8);
    need(buf, at, 56, 'ZIP64 end of central directory');
    if (buf.readUInt32LE(at) !== EOCD64) throw unreadable('ZIP64 end of central directory missing');
    count = u64(buf, at + 32);
    size = u64(buf, at + 40);
    offset = u64(buf, at + 48);
    end = at;
  }
  // Data before the archive would make JSZip shift every offset; such a file is not a plain workbook.
  if (offset + size !== end) throw unreadable('central directory is not where the end record says');
  return { offset, size, count, end };
}

/** The sizes an entry's ZIP64 extra field carries for those its header marks as 0xFFFFFFFF. */
function zip64Sizes(buf: Buffer, extraAt: number, extraLength: number, e: Entry): Entry {
  for (let at = extraAt; at + 4 <= extraAt + extraLength;) {
    const id = buf.readUInt16LE(at);
    const length = buf.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const next = () => {
        need(buf, p, 8, 'ZIP64 extra field');
        const v = u64(buf, p);
        p += 8;
        return v;
      };
      const uncompressed = e.uncompressed === U32 ? next() : e.uncompressed;
      const compressed = e.compressed === U32 ? next() : e.compressed;
      const localOffset = e.localOffset === U32 ? next() : e.localOffset;
      return { ...e, uncompressed, compressed, localOffset };
    }
    at += 4 + length;
  }
  throw unreadable('ZIP64 sizes missing');
}

function readEntries(buf: Buffer): Entry[] {
  const cd = centralDirectory(buf);
  if (cd.count > MAX_ZIP_ENTRIES) throw tooLarge(`${cd.count} entries`);
  need(buf, cd.offset, cd.size, 'central directory');
  const entries: Entry[] = [];
  let at = cd.offset;
  for (let i = 0; i < cd.count; i++) {
    need(buf, at, 46, 'central directory entry');
    if (at + 46 > cd.offset + cd.size || buf.readUInt32LE(at) !== CENTRAL)
      throw unreadable(`central directory entry ${i}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    let e: Entry = {
      flags: buf.readUInt16LE(at + 8),
      method: buf.readUInt16LE(at + 10),
      compressed: buf.readUInt32LE(at + 20),
      uncompressed: buf.readUInt32LE(at + 24),
      localOffset: buf.readUInt32LE(at + 42),
    };
    need(buf, at + 46, nameLength + extraLength + commentLength, 'central directory entry');
    if (e.uncompressed === U32 || e.compressed === U32 || e.localOffset === U32)
      e = zip64Sizes(buf, at + 46 + nameLength, extraLength, e);
    entries.push(e);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry's compressed bytes, found through its local header as JSZip finds them. */
function dataOf(buf: Buffer, e: Entry): Buffer {
  need(buf, e.localOffset, 30, 'local header');
  if (buf.readUInt32LE(e.localOffset) !== LOCAL) throw unreadable('local header missing');
  const start =
    e.localOffset +
    30 +
    buf.readUInt16LE(e.localOffset + 26) +
    buf.readUInt16LE(e.localOffset + 28);
  need(buf, start, e.compressed, 'entry data');
  return buf.subarray(start, start + e.compressed);
}

/** Inflates at most the declared size plus one byte: an entry that yields more lied about its size. */
function checkActualSize(buf: Buffer, e: Entry) {
  if (e.flags & 0x1) throw unreadable('encrypted entry');
  const data = dataOf(buf, e);
  if (e.method === 0) {
    if (data.length !== e.uncompressed) throw unreadable('stored entry size mismatch');
    return;
  }
  if (e.method !== 8) throw unreadable(`compression method ${e.method}`);
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(data, { maxOutputLength: e.uncompressed + 1 });
  } catch (err) {
    // By code, not by class: the error may come from another realm (zlib's own RangeError).
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge('an entry unpacks to more than it declares');
    throw unreadable('corrupt deflate data');
  }
  if (out.length > e.uncompressed) throw tooLarge('an entry unpacks to more than it declares');
}

/** What the central directory says the archive unpacks to, all entries together. */
export const declaredUnzippedBytes = (buf: Buffer): number =>
  readEntries(buf).reduce((sum, e) => sum + e.uncompressed, 0);

/**
 * Throws a ZipLimitError unless the archive unpacks to at most MAX_UNZIPPED_BYTES in at most
 * MAX_ZIP_ENTRIES entries, at a ratio of at most MAX_ZIP_RATIO (above RATIO_FLOOR_BYTES), and each
 * entry really is no larger than declared.
 */
export function checkZipLimits(buf: Buffer): void {
  if (buf.length < 22) throw unreadable('too short for a zip archive');
  const entries = readEntries(buf);
  const total = entries.reduce((sum, e) => sum + e.uncompressed, 0);
  if (total > MAX_UNZIPPED_BYTES) throw tooLarge(`unpacks to ${total} bytes`);
  if (total > RATIO_FLOOR_BYTES && total / buf.length > MAX_ZIP_RATIO)
    throw tooLarge(`compression ratio ${Math.round(total / buf.length)}:1`);
  for (const e of entries) checkActualSize(buf, e);
}
