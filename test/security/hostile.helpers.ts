import fc from 'fast-check';
import mongoose from 'mongoose';
import type { Test } from 'supertest';

// Shared by the hostile-*.test.ts files: hostile values and bodies as fast-check arbitraries, a way
// to send exact bytes, and the checks every answer must pass (no 5xx, the documented error shape,
// nothing stored when refused, no prototype polluted).

/** A body exactly as it goes on the wire; fast-check prints its label and start, not 200 kB. */
export class WireBody {
  constructor(
    readonly type: string,
    readonly bytes: Buffer,
    readonly label: string,
  ) {}
  [fc.toStringMethod](): string {
    const text = this.bytes.toString('latin1');
    return `${this.label} (${this.type}, ${this.bytes.length} bytes): ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
  }
}

/** How long any one answer may take before the test calls it a hang. */
export const ANSWER_DEADLINE_MS = 15_000;

/** Sends the body's bytes unchanged (superagent would otherwise serialise a Buffer as an object). */
export const sendBody = (req: Test, body: WireBody): Test =>
  req
    .set('Content-Type', body.type)
    .serialize((b: unknown) => b as string)
    .timeout({ response: ANSWER_DEADLINE_MS, deadline: ANSWER_DEADLINE_MS })
    .send(body.bytes as unknown as string);

export const jsonBody = (value: unknown, label = 'json') =>
  new WireBody('application/json', Buffer.from(JSON.stringify(value) ?? 'null'), label);
export const rawJson = (text: string | Buffer, label: string) =>
  new WireBody('application/json', Buffer.isBuffer(text) ? text : Buffer.from(text), label);

/** Percent-encodes text as UTF-8 (a lone surrogate as U+FFFD, where encodeURIComponent throws). */
export const pct = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

// ---- hostile values ----

/** An object with an own `key` (as JSON.parse makes it), also for `__proto__`. */
export const withOwnKey = (key: string, value: unknown): Record<string, unknown> =>
  JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Record<string, unknown>;

/** Keys a polluting write would leave on Object.prototype; checked after every run. */
export const POLLUTION_MARKERS = ['polluted', 'isAdmin'];

export const operatorObject = fc.constantFrom<unknown>(
  { $gt: '' },
  { $ne: null },
  { $ne: 'x' },
  { $regex: '.*' },
  { $where: 'sleep(5000) || true' },
  { $exists: true },
  { $in: ['users', 'staff'] },
  { $expr: { $eq: [1, 1] } },
  { $set: { status: 'open', locked: false } },
  [{ $gt: '' }],
);

export const prototypeObject = fc.constantFrom<unknown>(
  ...['__proto__', 'constructor', 'prototype'].map((k) =>
    withOwnKey(k, { polluted: 'yes', isAdmin: true, status: 'open' }),
  ),
  withOwnKey('constructor', { prototype: { polluted: 'yes' } }),
);

export const extremeNumber = fc.constantFrom<unknown>(
  1e308,
  -1e308,
  -0,
  5e-324,
  -5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  -(2 ** 63),
  2 ** 31,
  -1,
  0,
  0.5,
  1.0000000001,
  4.9999999999,
);

export const numberLikeString = fc.constantFrom<unknown>(
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '1e309',
  '0x10',
  '0b11',
  '1_000',
  '',
  ' ',
  '١٢',
  '1,5',
  ' 5 ',
  '5e-324',
  '00001',
  '+3',
);

export const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    '\ufeff',
    '\u202e',
    '$gt',
    '$where',
    'a.b',
    '.',
    '$',
    '__proto__',
    'constructor',
    'toString',
    '<script>alert(1)</script>',
    '{{7*7}}',
    '<%= 7*7 %>',
    "'; --",
    '../../etc/passwd',
    '%00',
    '%FF',
    '𝕏'.repeat(50),
    ' '.repeat(300),
    '\r\n\r\n',
  ),
  fc.integer({ min: 201, max: 120_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 2001, max: 30_000 }).map((n) => '水'.repeat(n)),
);

/** Nested as deep as `depth`, to stress recursive parsers, validators and serialisers. */
export const deepArray = (depth: number) =>
  JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;
export const deepObject = (depth: number) =>
  JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown;

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  operatorObject,
  prototypeObject,
  extremeNumber,
  numberLikeString,
  nastyString,
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    [],
    {},
    [null],
    ['impact', 'impact', 'financial', 'x'],
    deepArray(2000),
    deepObject(1000),
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.string(), { minLength: 500, maxLength: 3000 }),
);

/** JSON text that no JavaScript value serialises to: numbers beyond double, exotic literals. */
export const rawToken = fc.constantFrom(
  '1e309',
  '-1e309',
  '-0',
  '1' + '0'.repeat(400),
  '0.' + '0'.repeat(400) + '1',
  '123456789012345678901234567890',
  '"\\ud800"',
  '"\\u0000"',
  '[' + '1,'.repeat(50_000) + '1]',
  '[' + '{"instrument":"impact","topic":"climate","significance":9},'.repeat(2000) + '{}]',
  '['.repeat(20_000) + ']'.repeat(20_000),
  '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
);

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, encoded surrogates, truncated sequences. */
export const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xff]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe6, 0xb0]),
  Buffer.from([0x80, 0x80, 0x80]),
);

/** Keys a body should not be able to smuggle in. */
export const smuggledKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$set',
  'a.b',
  '_id',
  'locked',
  'createdBy',
  'status',
  'assessmentId',
  'role',
  'passwordHash',
  'unknownField',
  '',
);

// ---- bodies built from a valid one ----

/** Every path to a leaf of `value` (`name.en`, `settings.thresholds.impact`), the object itself as ''. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  const inner = Object.keys(value).flatMap((k) =>
    leafPaths((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k),
  );
  return prefix ? [prefix, ...inner] : inner;
}

/** A copy of `value` with the leaf at `path` replaced (own properties only, so `__proto__` is data; digits index arrays). */
export function withPath(value: unknown, path: string, leaf: unknown): unknown {
  if (path === '') return leaf;
  const [head = '', ...rest] = path.split('.');
  if (Array.isArray(value) && /^\d+$/.test(head)) {
    const copy: unknown[] = [...(value as unknown[])];
    copy[Number(head)] = withPath(copy[Number(head)], rest.join('.'), leaf);
    return copy;
  }
  const base =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(base))
    Object.defineProperty(out, k, {
      value: base[k],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  Object.defineProperty(out, head, {
    value: withPath(base[head], rest.join('.'), leaf),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return out;
}

const PLACEHOLDER = '\u0001HOSTILE\u0001';
const placeholderJson = JSON.stringify(PLACEHOLDER);

/** `valid` as JSON with the value at `path` replaced by raw text or raw bytes. */
function spliced(valid: unknown, path: string, raw: Buffer, label: string) {
  const [before = '', after = ''] = JSON.stringify(withPath(valid, path, PLACEHOLDER)).split(
    placeholderJson,
  );
  return rawJson(Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]), label);
}

/** Whole-body garbage: not JSON, the wrong JSON, empty, or not UTF-8. */
export const garbageJson: fc.Arbitrary<WireBody> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      'null',
      'true',
      '0',
      '"text"',
      '[]',
      '[{}]',
      '{',
      '{"a":1,}',
      "{'a':1}",
      '{"a":1}{"b":2}',
      '\ufeff{}',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":undefined}',
      '{"a":0x10}',
    )
    .map((t) => rawJson(t, 'garbage')),
  rawToken.map((t) => rawJson(t, 'raw token as body')),
  fc
    .uint8Array({ minLength: 1, maxLength: 300 })
    .map((b) => rawJson(Buffer.from(b), 'random bytes')),
  fc.jsonValue({ maxDepth: 4 }).map((v) => jsonBody(v, 'random json')),
  fc
    .anything({ withObjectString: true, withNullPrototype: true, maxDepth: 3 })
    .map((v) => jsonBody(v, 'random anything')),
);

/** Hostile variants of a valid JSON body: one field replaced, a key smuggled in, raw tokens, bad bytes, or garbage. */
export function hostileJson(valid: Record<string, unknown>): fc.Arbitrary<WireBody> {
  return hostileJsonAt(valid, leafPaths(valid));
}

/** Every path of `value` as leafPaths gives it, and also into arrays (`linkIds.0`, `0.previous.1`). */
export function leafPathsDeep(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const inner = Object.keys(value).flatMap((k) =>
    leafPathsDeep((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k),
  );
  return prefix ? [prefix, ...inner] : ['', ...inner];
}

/**
 * As hostileJson, for any valid body (an array too) and the given paths to replace (`''` is the
 * whole body): see leafPathsDeep.
 */
export function hostileJsonAt(valid: unknown, pathList: readonly string[]): fc.Arbitrary<WireBody> {
  const paths = fc.constantFrom(...pathList);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(paths, hostileValue)
        .map(([p, v]) => jsonBody(withPath(valid, p, v), `${p} replaced`)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(paths, smuggledKey, hostileValue)
        .map(([p, k, v]) =>
          jsonBody(
            withPath(valid, p ? `${p.split('.').slice(0, -1).concat(k).join('.')}` : k, v),
            `key ${JSON.stringify(k)} added near ${p}`,
          ),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(paths, rawToken)
        .map(([p, t]) => spliced(valid, p, Buffer.from(t), `${p} = raw ${t.slice(0, 20)}`)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(paths, invalidUtf8)
        .map(([p, bytes]) =>
          spliced(
            valid,
            p,
            Buffer.concat([Buffer.from('"ok'), bytes, Buffer.from('"')]),
            `${p} with bytes ${bytes.toString('hex')}`,
          ),
        ),
    },
    { weight: 2, arbitrary: garbageJson },
  );
}

// ---- urlencoded bodies ----

/** One `key=value` pair, already encoded (or deliberately not). */
const pair = (k: string, v: string) => `${pct(k)}=${pct(v)}`;

export type FormFields = Record<string, string | string[]>;

function encodeForm(fields: FormFields): string {
  return Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => pair(k, x)) : [pair(k, v)]))
    .join('&');
}

export const formBody = (fields: FormFields, label = 'form') =>
  new WireBody('application/x-www-form-urlencoded', Buffer.from(encodeForm(fields)), label);

const hostileText = fc.oneof(
  nastyString,
  numberLikeString.map(String),
  fc.constantFrom(
    '[object Object]',
    '{"$gt":""}',
    'true',
    'null',
    'undefined',
    'on',
    'yes',
    'dk',
    '0',
    '6',
    '-1',
    '3.5',
  ),
  fc.string({ maxLength: 30 }),
);

/** Field names that a parser or a careless handler could turn into structure. */
const hostileFieldName = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'name[$gt]',
  '$where',
  'a.b',
  '_id',
  '',
  '[]',
  'x[]',
  'weights.__proto__',
  'values[__proto__]',
);

/**
 * Hostile variants of a valid form (the CSRF token stays unless the variant drops it): a field
 * replaced or repeated, fields added, raw undecodable bytes, broken encoding, or the form sent as
 * JSON with operator objects.
 */
export function hostileForm(valid: FormFields, csrf: string): fc.Arbitrary<WireBody> {
  const names = Object.keys(valid);
  const base = { ...valid, _csrf: csrf };
  const name = names.length ? fc.constantFrom(...names) : fc.constant('field');
  const arbitraries: fc.WeightedArbitrary<WireBody>[] = [
    {
      weight: 4,
      arbitrary: fc
        .tuple(name, hostileText)
        .map(([k, v]) => formBody({ ...base, [k]: v }, `${k} replaced`)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(name, fc.array(hostileText, { minLength: 2, maxLength: 5 }))
        .map(([k, v]) => formBody({ ...base, [k]: v }, `${k} repeated`)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(hostileFieldName, hostileText)
        .map(
          ([k, v]) =>
            new WireBody(
              'application/x-www-form-urlencoded',
              Buffer.from(`${encodeForm(base)}&${k}=${pct(v)}`),
              `field ${k} added`,
            ),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(name, invalidUtf8)
        .map(
          ([k, bytes]) =>
            new WireBody(
              'application/x-www-form-urlencoded',
              Buffer.concat([Buffer.from(`${encodeForm(base)}&${pct(k)}=ok`), bytes]),
              `${k} with raw bytes ${bytes.toString('hex')}`,
            ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          name,
          fc.constantFrom(
            '%',
            '%F',
            '%FF%FE',
            '%C3%28',
            '%ED%A0%80',
            '%00',
            '+',
            '%2',
            '=&=&',
            '&&&',
          ),
        )
        .map(
          ([k, raw]) =>
            new WireBody(
              'application/x-www-form-urlencoded',
              Buffer.from(`${encodeForm(base)}&${pct(k)}=${raw}`),
              `${k} = ${raw} (bad encoding)`,
            ),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          name,
          fc.oneof(
            operatorObject,
            prototypeObject,
            extremeNumber,
            fc.constantFrom<unknown>(deepArray(3000), deepObject(1000)),
          ),
        )
        .map(([k, v]) => jsonBody({ ...base, [k]: v }, `${k} as JSON value`)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        formBody(valid, 'no CSRF token'),
        formBody({ ...base, _csrf: [csrf, csrf] }, 'CSRF token repeated'),
        new WireBody('text/plain', Buffer.from(encodeForm(base)), 'as text/plain'),
      ),
    },
  ];
  return fc.oneof(...arbitraries);
}

// ---- what every answer must satisfy ----

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
}

/** The api.md error shape: {"error": {"code", "message", "details"?}}, with details as [{path, message}]. */
export function expectErrorShape(res: Answer) {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.body as { error?: { code?: unknown; message?: unknown; details?: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  const details = body.error?.details;
  if (details !== undefined) {
    expect(Array.isArray(details)).toBe(true);
    for (const d of details as { path?: unknown; message?: unknown }[]) {
      expect(typeof d.path).toBe('string');
      expect(typeof d.message).toBe('string');
    }
  }
}

/** A refused page: HTML for people, no stack trace. */
export function expectErrorPage(res: Answer) {
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

export function expectNoPollution() {
  const probe = {} as Record<string, unknown>;
  for (const k of POLLUTION_MARKERS) expect(probe[k]).toBeUndefined();
  expect(
    Object.getOwnPropertyNames(Object.prototype).filter((k) => POLLUTION_MARKERS.includes(k)),
  ).toEqual([]);
}

/**
 * Collections whose documents a refused request must leave as they were. Not watched: sessions
 * (touched by every page), rate-limit counters (failed logins count by design) and counting leases.
 */
export const WATCHED = [
  'assessments',
  'links',
  'inbox',
  'responses',
  'drafts',
  'groupstats',
  'tallybatches',
  'users',
  'apitokens',
];

/** Waits until every stored response has been counted, so that counting does not change the next snapshot. */
export async function settled(timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  const pending = async () =>
    (await mongoose.connection.collection('inbox').countDocuments()) +
    (await mongoose.connection.collection('tallybatches').countDocuments());
  while ((await pending()) > 0) {
    if (Date.now() > deadline) throw new Error('responses were not counted in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fields that change without any request asking (API token use is recorded once a minute). */
const VOLATILE = new Set(['lastUsedAt']);

interface State {
  /** Every watched document, as one comparable text. */
  text: string;
  docs: Record<string, unknown[]>;
}

/** Reads every watched document. The test databases are small: reading it all is cheap. */
async function readState(watched: readonly string[] = WATCHED): Promise<State> {
  const docs: Record<string, unknown[]> = {};
  const text: Record<string, string[]> = {};
  for (const name of watched) {
    const found = await mongoose.connection.collection(name).find({}).toArray();
    docs[name] = found;
    text[name] = found
      .map((d) => JSON.stringify(d, (k, v: unknown) => (VOLATILE.has(k) ? undefined : v)))
      .sort();
  }
  return { text: JSON.stringify(text), docs };
}

/** Keys a smuggled field could have left in a stored document (a `$` or dotted key, a pollution marker). */
export function smuggledKeysIn(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => smuggledKeysIn(v, `${path}[${i}]`));
  if (value instanceof Date || value instanceof mongoose.Types.ObjectId) return [];
  return Object.keys(value).flatMap((k) => {
    const here = path ? `${path}.${k}` : k;
    const bad =
      k.startsWith('$') ||
      k.includes('.') ||
      k === '' ||
      POLLUTION_MARKERS.includes(k) ||
      k === 'unknownField'
        ? [here]
        : [];
    return [...bad, ...smuggledKeysIn((value as Record<string, unknown>)[k], here)];
  });
}

/**
 * The judge of one request: no 5xx, no polluted prototype; a refusal (4xx) passes `onRefusal`
 * (the error shape, or a page) and leaves every watched document as it was; an acceptance leaves
 * no smuggled key in any. The state after one request is the state before the next, so it is read
 * once per request. `watched` (WATCHED unless given) are the collections compared.
 */
export function judge(watched: readonly string[] = WATCHED) {
  let known: string | undefined;
  const judged = async <R extends Answer>(
    send: () => Promise<R>,
    onRefusal: (res: R) => void,
  ): Promise<R> => {
    const before = known ?? (await readState(watched)).text;
    known = undefined;
    const res = await send();
    expect(res.status).toBeLessThan(500);
    expectNoPollution();
    const refused = res.status >= 400;
    if (refused) onRefusal(res);
    else await settled();
    const after = await readState(watched);
    if (refused) expect(after.text).toBe(before);
    else
      expect(
        Object.entries(after.docs).flatMap(([name, docs]) =>
          docs.flatMap((d) => smuggledKeysIn(d).map((p) => `${name}: ${p}`)),
        ),
      ).toEqual([]);
    known = after.text;
    return res;
  };
  /** Sends a request that is expected to succeed, unjudged (the next judged request reads the state afresh). */
  const unjudged = async <R extends Answer>(send: () => Promise<R>): Promise<R> => {
    known = undefined;
    const res = await send();
    await settled();
    return res;
  };
  return Object.assign(judged, { unjudged });
}

// ---- added for hostile-json-more.test.ts and hostile-forms-more.test.ts ----

/**
 * WATCHED and the collections the review, e-mail and analytics writes touch: the audit log and its
 * counters, sign-off snapshots, messages, e-mail settings and quality exclusions. (Not the
 * analytics cache: a job started by a read fills it in the background.)
 */
export const WATCHED_MORE = [
  ...WATCHED,
  'auditlog',
  'auditseqs',
  'signoffs',
  'messages',
  'mailsetup',
  'qualityexclusions',
];

export interface Part {
  name: string;
  filename?: string;
  type?: string;
  content: Buffer;
}

/** A multipart/form-data body from its parts (`end: false` leaves out the closing boundary). */
export function multipart(
  parts: readonly Part[],
  { boundary = 'hostile-boundary', end = true, label = '' } = {},
) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      p.content,
      Buffer.from('\r\n'),
    );
  }
  if (end) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new WireBody(
    `multipart/form-data; boundary=${boundary}`,
    Buffer.concat(chunks),
    label || `multipart with ${parts.length} parts`,
  );
}

/** Text as a cursor of the form the messages and global audit lists hand out (base64url). */
export const cursorOf = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
