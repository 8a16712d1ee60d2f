import { BSON } from 'mongodb';
import type { AnswerDoc } from '../../responses/response.model';
import { FLAG_CLASSES, type FlagClass } from './quality-flags';

/**
 * A compact binary form of what the analytics read of a response (its group, answers and flags),
 * so that an assessment's answers can be read as a few large values (answer-blocks.ts) instead of a
 * scan that costs the embedded engine per field. A block holds its own tables of group and topic
 * codes; each record is
 *
 *   u8 kind = 0, u16 group index, u8 flag bits, u16 answer count, then per answer
 *   u16 (topic index << 1 | instrument), 3 bytes: six 4-bit criteria
 *   (significance, scale, scope, irremediability, likelihood, magnitude; 0 absent, 15 null, 1–5)
 *
 * or, for anything that does not fit (a value outside 1–5, an unknown key or flag),
 * u8 kind = 1, u32 length, the record as BSON: nothing is ever lost or rounded.
 */
export interface BlockRecord {
  group: string;
  answers: AnswerDoc[];
  flags?: readonly FlagClass[];
}

export interface EncodedBlock {
  rows: number;
  groups: string[];
  topics: string[];
  data: Uint8Array;
}

const CRITERIA = [
  'significance',
  'scale',
  'scope',
  'irremediability',
  'likelihood',
  'magnitude',
] as const;
const ANSWER_KEYS = new Set<string>(['instrument', 'topic', ...CRITERIA]);
const ABSENT = 0;
const NULL = 15;
const COMPACT = 0;
const RAW = 1;
const MAX_TOPICS = 1 << 15;
const MAX_INDEX = 0xffff;

/** Encodes records into one block (its code tables grow as codes appear). */
export class BlockWriter {
  private readonly groupIndex = new Map<string, number>();
  private readonly topicIndex = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  rows = 0;

  get bytes(): number {
    return this.size;
  }

  add(r: BlockRecord): void {
    const compact = this.compact(r);
    const part = compact ?? raw(r);
    this.parts.push(part);
    this.size += part.byteLength;
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
      groups: [...this.groupIndex.keys()],
      topics: [...this.topicIndex.keys()],
      data,
    };
  }

  private compact(r: BlockRecord): Uint8Array | null {
    const flagBits = flagsToBits(r.flags);
    if (flagBits === null || typeof r.group !== 'string' || !Array.isArray(r.answers)) return null;
    if (r.answers.length > MAX_INDEX) return null;
    // First check that everything fits, so that a record written raw takes no codes.
    const packed: { instrument: number; nibbles: number[] }[] = [];
    const newTopics = new Set<string>();
    for (const a of r.answers) {
      if (!a || typeof a !== 'object' || typeof a.topic !== 'string') return null;
      const instrument = a.instrument === 'impact' ? 0 : a.instrument === 'financial' ? 1 : -1;
      if (instrument < 0 || Object.keys(a).some((k) => !ANSWER_KEYS.has(k))) return null;
      const nibbles = CRITERIA.map((c) => nibble(a, c));
      if (nibbles.some((n) => n === null)) return null;
      packed.push({ instrument, nibbles: nibbles as number[] });
      if (!this.topicIndex.has(a.topic)) newTopics.add(a.topic);
    }
    if (this.topicIndex.size + newTopics.size > MAX_TOPICS) return null;
    if (!this.groupIndex.has(r.group) && this.groupIndex.size > MAX_INDEX) return null;
    const out = new Uint8Array(6 + r.answers.length * 5);
    const view = new DataView(out.buffer);
    out[0] = COMPACT;
    view.setUint16(1, this.indexOf(this.groupIndex, r.group), true);
    out[3] = flagBits;
    view.setUint16(4, r.answers.length, true);
    packed.forEach(({ instrument, nibbles: n }, i) => {
      const at = 6 + i * 5;
      const topic = this.indexOf(this.topicIndex, r.answers[i]!.topic);
      view.setUint16(at, (topic << 1) | instrument, true);
      out[at + 2] = (n[0]! << 4) | n[1]!;
      out[at + 3] = (n[2]! << 4) | n[3]!;
      out[at + 4] = (n[4]! << 4) | n[5]!;
    });
    return out;
  }

  private indexOf(table: Map<string, number>, code: string): number {
    let i = table.get(code);
    if (i === undefined) table.set(code, (i = table.size));
    return i;
  }
}

/** Calls `visit` with every record of a block, in order, as the analytics read a response. */
export function decodeBlock(
  block: Pick<EncodedBlock, 'groups' | 'topics' | 'data'>,
  visit: (r: BlockRecord) => void,
): number {
  const { data, groups, topics } = block;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let off = 0;
  let rows = 0;
  while (off < data.byteLength) {
    const kind = data[off]!;
    if (kind === RAW) {
      const len = view.getUint32(off + 1, true);
      visit(BSON.deserialize(data.subarray(off + 5, off + 5 + len)) as BlockRecord);
      off += 5 + len;
    } else if (kind === COMPACT) {
      const group = groups[view.getUint16(off + 1, true)];
      const flagBits = data[off + 3]!;
      const count = view.getUint16(off + 4, true);
      const answers: AnswerDoc[] = new Array<AnswerDoc>(count);
      let at = off + 6;
      for (let i = 0; i < count; i++, at += 5) {
        const head = view.getUint16(at, true);
        const a = {
          instrument: head & 1 ? 'financial' : 'impact',
          topic: topics[head >> 1],
        } as AnswerDoc;
        setCriterion(a, CRITERIA[0], data[at + 2]! >> 4);
        setCriterion(a, CRITERIA[1], data[at + 2]! & 15);
        setCriterion(a, CRITERIA[2], data[at + 3]! >> 4);
        setCriterion(a, CRITERIA[3], data[at + 3]! & 15);
        setCriterion(a, CRITERIA[4], data[at + 4]! >> 4);
        setCriterion(a, CRITERIA[5], data[at + 4]! & 15);
        answers[i] = a;
      }
      if (group === undefined || answers.some((a) => a.topic === undefined))
        throw new Error('answer block: a code index outside its tables');
      const flags = bitsToFlags(flagBits);
      visit(flags.length ? { group, answers, flags } : { group, answers });
      off = at;
    } else {
      throw new Error(`answer block: unknown record kind ${kind} at byte ${off}`);
    }
    rows++;
  }
  return rows;
}

function nibble(a: AnswerDoc, c: (typeof CRITERIA)[number]): number | null {
  if (!Object.hasOwn(a, c)) return ABSENT;
  const v = a[c];
  if (v === undefined) return ABSENT;
  if (v === null) return NULL;
  return Number.isInteger(v) && v >= 1 && v <= 5 ? v : null;
}

function setCriterion(a: AnswerDoc, c: (typeof CRITERIA)[number], n: number) {
  if (n === ABSENT) return;
  a[c] = n === NULL ? null : n;
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
  const bson = BSON.serialize(doc);
  const out = new Uint8Array(5 + bson.byteLength);
  out[0] = RAW;
  new DataView(out.buffer).setUint32(1, bson.byteLength, true);
  out.set(bson, 5);
  return out;
}
