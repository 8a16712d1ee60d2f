import type { AuditDoc } from './audit.model';
import {
  allScopes,
  entryJson,
  matches,
  MAX_EXAMINED,
  walkDown,
  type AuditEntryJson,
  type AuditFilter,
  type AuditPage,
} from './audit.reader';

/** The global cursor: for every scope, the sequence number to read below. */
type Positions = Record<string, number>;

function decode(cursor: string | undefined): Positions | null {
  if (!cursor) return null;
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Positions = Object.create(null) as Positions;
    for (const [k, v] of Object.entries(raw)) if (Number.isSafeInteger(v)) out[k] = v as number;
    return out;
  } catch {
    return {};
  }
}

const encode = (p: Positions) => Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');

interface Head {
  scope: string;
  walk: AsyncGenerator<AuditDoc>;
  doc: AuditDoc | undefined;
}

async function nextOf(walk: AsyncGenerator<AuditDoc>): Promise<AuditDoc | undefined> {
  const r = await walk.next();
  return r.done ? undefined : r.value;
}

const newer = (a: AuditDoc, b: AuditDoc) => +a.at - +b.at || (a._id > b._id ? 1 : -1);

/**
 * Every entry, newest first: a merge of the scopes' walks (a handful of assessments plus `system`),
 * each read by primary key, so a page costs about `limit` + scopes reads.
 */
export async function readAll(opts: {
  limit: number;
  before?: string;
  filter?: AuditFilter;
}): Promise<AuditPage> {
  const start = decode(opts.before);
  const scopes = await allScopes();
  const heads: Head[] = [];
  for (const s of scopes) {
    const below = start ? (Object.hasOwn(start, s._id) ? start[s._id]! : s.n + 1) : s.n + 1;
    const walk = walkDown(s._id, below);
    heads.push({ scope: s._id, walk, doc: await nextOf(walk) });
  }
  const pos: Positions = Object.create(null) as Positions;
  for (const s of scopes)
    pos[s._id] = start && Object.hasOwn(start, s._id) ? start[s._id]! : s.n + 1;
  const entries: AuditEntryJson[] = [];
  let examined = 0;
  for (;;) {
    let best: Head | undefined;
    for (const h of heads) if (h.doc && (!best?.doc || newer(h.doc, best.doc) > 0)) best = h;
    if (!best?.doc) break;
    const d = best.doc;
    pos[best.scope] = d.seq;
    examined++;
    if (matches(d, opts.filter ?? {})) entries.push(entryJson(d));
    best.doc = await nextOf(best.walk);
    if (entries.length >= opts.limit || examined >= MAX_EXAMINED) break;
  }
  const more = heads.some((h) => h.doc);
  return { entries, next: more ? encode({ ...pos }) : null };
}
