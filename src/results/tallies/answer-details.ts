/**
 * What the Responses sheet prints of a response besides its answers, carried in its answer block
 * (answer-codec.ts) so that an export reads a few blocks instead of scanning `responses`. A null
 * and an absent field are stored alike (the export prints both as an empty cell).
 */
export interface ResponseDetails {
  _id: string;
  lang?: string | null;
  submittedAt?: Date | string | null;
  durationMs?: number | null;
  userAgentClass?: string | null;
}

/**
 * The codes of the stored form, fixed: a language or device class is stored as its position here,
 * so entries are only ever appended (never reordered), whatever the app's own lists become. A
 * value not listed keeps its record as BSON.
 */
const LANG_CODES: readonly string[] = ['en', 'zh-Hant', 'zh-Hans'];
const DEVICE_CODES: readonly string[] = ['mobile', 'tablet', 'desktop', 'bot', 'unknown'];

const NONE = 255;
const NO_DURATION = 0xffffffff;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const indexIn = (list: readonly string[], v: unknown): number | null =>
  v === null || v === undefined
    ? NONE
    : list.includes(v as string)
      ? list.indexOf(v as string)
      : null;

/**
 * The details as bytes: u8 id length and the id (UTF-8), f64 submission time in ms (NaN: none),
 * u32 duration in ms (all ones: none), u8 language and u8 device class (their index, 255: none).
 * Null when a value does not fit that form exactly (the record is then stored raw).
 */
export function packDetails(r: Partial<ResponseDetails>): Uint8Array | null {
  if (typeof r._id !== 'string') return null;
  const id = encoder.encode(r._id);
  const lang = indexIn(LANG_CODES, r.lang);
  const device = indexIn(DEVICE_CODES, r.userAgentClass);
  const at = r.submittedAt;
  const d = r.durationMs;
  const duration =
    d === null || d === undefined
      ? NO_DURATION
      : Number.isInteger(d) && d >= 0 && d < NO_DURATION
        ? d
        : null;
  const time =
    at === null || at === undefined ? NaN : at instanceof Date && !Number.isNaN(+at) ? +at : null;
  if (id.byteLength > 255 || lang === null || device === null || duration === null || time === null)
    return null;
  const out = new Uint8Array(1 + id.byteLength + 14);
  const view = new DataView(out.buffer);
  out[0] = id.byteLength;
  out.set(id, 1);
  const off = 1 + id.byteLength;
  view.setFloat64(off, time, true);
  view.setUint32(off + 8, duration, true);
  out[off + 12] = lang;
  out[off + 13] = device;
  return out;
}

/** The byte length of the details at `off`. */
export const detailsLength = (data: Uint8Array, off: number) => 1 + data[off]! + 14;

/** The id alone (an export orders rows by it before decoding them). */
export const detailsId = (data: Uint8Array, off: number): string =>
  decoder.decode(data.subarray(off + 1, off + 1 + data[off]!));

/** The details at `off`, onto `into`. */
export function unpackDetails(data: Uint8Array, off: number, into: Record<string, unknown>): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data[off]!;
  into._id = decoder.decode(data.subarray(off + 1, off + 1 + len));
  const at = off + 1 + len;
  const time = view.getFloat64(at, true);
  const duration = view.getUint32(at + 8, true);
  into.submittedAt = Number.isNaN(time) ? null : new Date(time);
  into.durationMs = duration === NO_DURATION ? null : duration;
  into.lang = data[at + 12] === NONE ? null : LANG_CODES[data[at + 12]!];
  into.userAgentClass = data[at + 13] === NONE ? null : DEVICE_CODES[data[at + 13]!];
}
