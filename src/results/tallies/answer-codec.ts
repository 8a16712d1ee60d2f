import { BSON } from 'mongodb';
import type { AnswerDoc } from '../../responses/response.model';
import { CRITERIA } from '../../scoring';
import {
  detailsId,
  detailsLength,
  packDetails,
  unpackDetails,
  type ResponseDetails,
} from './answer-details';
import { FLAG_CLASSES, type FlagClass } from './quality-flags';

/**
 * A compact binary form of what the analytics read of a response (its group, answers and flags),
 * so that an assessment's answers can be read as a few large values (answer-blocks.ts) instead of a
 * scan that costs the embedded engine per field. A block holds its own tables of group and topic
 * codes, and its data is a sequence of entries:
 *
 * - a *layout* (kind 2): the answers' shape, shared by every response of the same questionnaire:
 *   u16 answer count, then per answer u16 (topic index << 1 | instrument) and u8 the set of
 *   criteria present (bits in the order significance, scale, scope, irremediability, likelihood,
 *   magnitude). Layouts are numbered in the order they appear in the block.
 * - a *response* (kind 0): u16 group index, u8 flag bits, u16 layout number, then the values of
 *   the present criteria, answer by answer, 4 bits each (1–5, or 15 for null), padded to a byte.
 *   A rating questionnaire of 20 topics on both axes takes 26 bytes, an assessment one 66.
 * - a response with its details (kind 3): a response entry followed by what the Responses sheet
 *   prints besides the answers (answer-details.ts: id, day, duration, language, device), written
 *   whenever the record has a stored id.
 * - a response that does not fit that form (a value outside 1–5, an unknown key or flag, tables
 *   full; kind 1): u32 length and the record as BSON, so nothing is ever lost or rounded.
 */
export interface BlockRecord extends Partial<ResponseDetails> {
  group: string;
  answers: AnswerDoc[];
  flags?: readonly FlagClass[];
}

export interface EncodedBlock {
  rows: number;
  /** whether every record carries its details (an export can be written from the block alone) */
  details: boolean;
  groups: string[];
  topics: string[];
  data: Uint8Array;
}

const ANSWER_KEYS = new Set<string>(['instrument', 'topic', ...CRITERIA]);
const NULL = 15;
const RESPONSE = 0;
const RAW = 1;
const LAYOUT = 2;
const DETAILED = 3;
const MAX_TOPICS = 1 << 15;
const MAX_INDEX = 0xffff;

interface Packed {
  instrument: number;
  mask: number;
  values: number[];
}

/** Encodes records into one block (its code and layout tables grow as they appear). */
export class BlockWriter {
  private readonly groupIndex = new Map<string, number>();
  private readonly topicIndex = new Map<string, number>();
  private readonly layoutIndex = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  private detailed = 0;
  rows = 0;

  add(r: BlockRecord): void {
    if (!this.compact(r)) this.push(raw(r));
    if (typeof r._id === 'string') this.detailed++;
    this.rows++;
  }

  finish(): EncodedBlock {
    const data = new Uint8Array(this.size);
    let off = 0;
    for (const p of this.parts) {
      data.set(p, off);
      off += p.byteLength;
    }
    return {
      rows: this.rows,
      details: this.detailed === this.rows,
      groups: [...this.groupIndex.keys()],
      topics: [...this.topicIndex.keys()],
      data,
    };
  }

  private push(part: Uint8Array) {
    this.parts.push(part);
    this.size += part.byteLength;
  }

  /** Writes the record in the compact form when it fits (answers false when it does not). */
  private compact(r: BlockRecord): boolean {
    const flagBits = flagsToBits(r.flags);
    if (flagBits === null || typeof r.group !== 'string' || !Array.isArray(r.answers)) return false;
    const details = typeof r._id === 'string' ? packDetails(r) : undefined;
    if (details === null) return false;
    if (r.answers.length > MAX_INDEX) return false;
    // First check that everything fits, so that a record written raw takes no codes.
    const packed: Packed[] = [];
    const newTopics = new Set<string>();
    for (const a of r.answers) {
      const p = packAnswer(a);
      if (!p) return false;
      packed.push(p);
      if (!this.topicIndex.has(a.topic)) newTopics.add(a.topic);
    }
    if (this.topicIndex.size + newTopics.size > MAX_TOPICS) return false;
    if (!this.groupIndex.has(r.group) && this.groupIndex.size > MAX_INDEX) return false;
    const key = packed.map((p, i) => `${r.answers[i]!.topic}\u0000${p.instrument}${p.mask}`);
    const layoutKey = key.join('\u0001');
    let layout = this.layoutIndex.get(layoutKey);
    if (layout === undefined) {
      if (this.layoutIndex.size > MAX_INDEX) return false;
      layout = this.layoutIndex.size;
      this.layoutIndex.set(layoutKey, layout);
      this.push(this.layoutEntry(r.answers, packed));
    }
    const values = packed.flatMap((p) => p.values);
    const valuesEnd = 6 + Math.ceil(values.length / 2);
    const out = new Uint8Array(valuesEnd + (details?.byteLength ?? 0));
    const view = new DataView(out.buffer);
    out[0] = details ? DETAILED : RESPONSE;
    view.setUint16(1, this.indexOf(this.groupIndex, r.group), true);
    out[3] = flagBits;
    view.setUint16(4, layout, true);
    values.forEach((v, i) => (out[6 + (i >> 1)]! |= i & 1 ? v : v << 4));
    if (details) out.set(details, valuesEnd);
    this.push(out);
    return true;
  }

  private layoutEntry(answers: AnswerDoc[], packed: Packed[]): Uint8Array {
    const out = new Uint8Array(3 + packed.length * 3);
    const view = new DataView(out.buffer);
    out[0] = LAYOUT;
    view.setUint16(1, packed.length, true);
    packed.forEach((p, i) => {
      const topic = this.indexOf(this.topicIndex, answers[i]!.topic);
      view.setUint16(3 + i * 3, (topic << 1) | p.instrument, true);
      out[5 + i * 3] = p.mask;
    });
    return out;
  }

  private indexOf(table: Map<string, number>, code: string): number {
    let i = table.get(code);
    if (i === undefined) table.set(code, (i = table.size));
    return i;
  }
}

interface Layout {
  answers: { instrument: 'impact' | 'financial'; topic: string; criteria: Criterion[] }[];
  values: number;
  /** with `reuse`: the answer objects every response of this layout is decoded into */
  shared?: AnswerDoc[];
}

/** The flag lists of each bit pattern, shared by the records decoded with `reuse`. */
const FLAG_SETS: readonly (readonly FlagClass[])[] = Array.from(
  { length: 1 << FLAG_CLASSES.length },
  (_, bits) => Object.freeze(bitsToFlags(bits)),
);
type Criterion = (typeof CRITERIA)[number];

interface Reading {
  data: Uint8Array;
  view: DataView;
  groups: string[];
  layouts: Layout[];
  reuse: boolean;
}

const reading = (
  block: Pick<EncodedBlock, 'groups' | 'topics' | 'data'>,
  reuse: boolean,
): Reading & { topics: string[] } => ({
  data: block.data,
  view: new DataView(block.data.buffer, block.data.byteOffset, block.data.byteLength),
  groups: block.groups,
  topics: block.topics,
  layouts: [],
  reuse,
});

/** Reads the layout entry at `off` into the reading's table; answers the next entry's offset. */
function readLayout(r: Reading & { topics: string[] }, off: number): number {
  const { data, view, topics } = r;
  const count = view.getUint16(off + 1, true);
  const answers: Layout['answers'] = [];
  let values = 0;
  for (let i = 0; i < count; i++) {
    const head = view.getUint16(off + 3 + i * 3, true);
    const mask = data[off + 5 + i * 3]!;
    const topic = topics[head >> 1];
    if (topic === undefined) throw new Error('answer block: a topic index outside its table');
    const criteria = CRITERIA.filter((_, b) => mask & (1 << b));
    values += criteria.length;
    answers.push({ instrument: head & 1 ? 'financial' : 'impact', topic, criteria });
  }
  const shared = r.reuse
    ? answers.map((l) => ({ instrument: l.instrument, topic: l.topic }))
    : undefined;
  r.layouts.push({ answers, values, shared });
  return off + 3 + count * 3;
}

/** Where a compact record's values end (its details, if any, start there). */
function valuesEnd(r: Reading, off: number): number {
  const layout = r.layouts[r.view.getUint16(off + 4, true)];
  if (!layout) throw new Error('answer block: an index outside its tables');
  return off + 6 + Math.ceil(layout.values / 2);
}

/** Where the record at `off` ends. */
function recordEnd(r: Reading, off: number): number {
  const kind = r.data[off];
  if (kind === RAW) return off + 5 + r.view.getUint32(off + 1, true);
  if (kind === RESPONSE) return valuesEnd(r, off);
  if (kind === DETAILED) {
    const at = valuesEnd(r, off);
    return at + detailsLength(r.data, at);
  }
  throw new Error(`answer block: unknown entry kind ${kind} at byte ${off}`);
}

/** The record at `off` (details included unless the reading reuses objects). */
function readRecord(r: Reading, off: number): BlockRecord {
  const { data, view } = r;
  const kind = data[off];
  if (kind === RAW) {
    const len = view.getUint32(off + 1, true);
    return BSON.deserialize(data.subarray(off + 5, off + 5 + len)) as BlockRecord;
  }
  if (kind !== RESPONSE && kind !== DETAILED)
    throw new Error(`answer block: unknown entry kind ${kind} at byte ${off}`);
  const group = r.groups[view.getUint16(off + 1, true)];
  const layout = r.layouts[view.getUint16(off + 4, true)];
  if (group === undefined || !layout) throw new Error('answer block: an index outside its tables');
  const base = off + 6;
  let v = 0;
  // With `reuse`, every response of a layout is decoded into the same objects (they all set
  // the same criteria): no allocation per answer, for a reader that keeps nothing of them.
  const count = layout.answers.length;
  const answers = layout.shared ?? new Array<AnswerDoc>(count);
  for (let i = 0; i < count; i++) {
    const l = layout.answers[i]!;
    const a = layout.shared?.[i] ?? { instrument: l.instrument, topic: l.topic };
    for (const c of l.criteria) {
      const byte = data[base + (v >> 1)]!;
      const n = v & 1 ? byte & 15 : byte >> 4;
      a[c] = n === NULL ? null : n;
      v++;
    }
    answers[i] = a;
  }
  const flags = FLAG_SETS[data[off + 3]!]!;
  const record: BlockRecord = flags.length ? { group, answers, flags } : { group, answers };
  if (kind === DETAILED && !r.reuse)
    unpackDetails(data, base + Math.ceil(layout.values / 2), record as never);
  return record;
}

/**
 * Calls `visit` with every record of a block, in order. With `reuse`, records share their answer
 * objects and carry no details (the analytics keep nothing of a record and read no details).
 */
export function decodeBlock(
  block: Pick<EncodedBlock, 'groups' | 'topics' | 'data'>,
  visit: (r: BlockRecord) => void,
  opts: { reuse?: boolean } = {},
): number {
  const r = reading(block, opts.reuse ?? false);
  let off = 0;
  let rows = 0;
  while (off < r.data.byteLength) {
    if (r.data[off] === LAYOUT) {
      off = readLayout(r, off);
      continue;
    }
    visit(readRecord(r, off));
    off = recordEnd(r, off);
    rows++;
  }
  return rows;
}

/** A block's records by position: their ids first (to order them), then one record at a time. */
export class BlockReader {
  private readonly r: Reading & { topics: string[] };
  readonly offsets: number[] = [];

  constructor(block: Pick<EncodedBlock, 'groups' | 'topics' | 'data'>) {
    this.r = reading(block, false);
    let off = 0;
    while (off < this.r.data.byteLength) {
      if (this.r.data[off] === LAYOUT) off = readLayout(this.r, off);
      else {
        this.offsets.push(off);
        off = recordEnd(this.r, off);
      }
    }
  }

  /** The stored response id of record `i` (undefined for a record without details). */
  idAt(i: number): string | undefined {
    const off = this.offsets[i]!;
    const kind = this.r.data[off];
    if (kind === DETAILED) return detailsId(this.r.data, valuesEnd(this.r, off));
    if (kind === RAW) {
      const id = (readRecord(this.r, off) as { _id?: unknown })._id;
      return typeof id === 'string' ? id : undefined;
    }
    return undefined;
  }

  recordAt(i: number): BlockRecord {
    return readRecord(this.r, this.offsets[i]!);
  }
}

/** An answer's instrument, set of present criteria and their 4-bit values, or null if it does not fit. */
function packAnswer(a: AnswerDoc): Packed | null {
  if (!a || typeof a !== 'object' || typeof a.topic !== 'string') return null;
  const instrument = a.instrument === 'impact' ? 0 : a.instrument === 'financial' ? 1 : -1;
  if (instrument < 0 || Object.keys(a).some((k) => !ANSWER_KEYS.has(k))) return null;
  let mask = 0;
  const values: number[] = [];
  for (const [b, c] of CRITERIA.entries()) {
    if (!Object.hasOwn(a, c) || a[c] === undefined) continue;
    const v = a[c];
    if (v !== null && !(Number.isInteger(v) && v >= 1 && v <= 5)) return null;
    mask |= 1 << b;
    values.push(v === null ? NULL : v);
  }
  return { instrument, mask, values };
}

function flagsToBits(flags: readonly FlagClass[] | undefined): number | null {
  let bits = 0;
  for (const f of flags ?? []) {
    const i = FLAG_CLASSES.indexOf(f);
    if (i < 0) return null;
    bits |= 1 << i;
  }
  return bits;
}

function bitsToFlags(bits: number): FlagClass[] {
  return FLAG_CLASSES.filter((_, i) => bits & (1 << i));
}

function raw(r: BlockRecord): Uint8Array {
  const doc: Record<string, unknown> = { group: r.group, answers: r.answers };
  if (r.flags !== undefined) doc.flags = r.flags;
  if (typeof r._id === 'string')
    for (const k of ['_id', 'lang', 'submittedAt', 'durationMs', 'userAgentClass'] as const)
      if (r[k] !== undefined) doc[k] = r[k];
  const bson = BSON.serialize(doc);
  const out = new Uint8Array(5 + bson.byteLength);
  out[0] = RAW;
  new DataView(out.buffer).setUint32(1, bson.byteLength, true);
  out.set(bson, 5);
  return out;
}
