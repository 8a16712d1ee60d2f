import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import {
  csvCell,
  CsvReadError,
  neutralise,
  OutputClosed,
  readCsvUpload,
  streamCsv,
  writeCsv,
} from '../../src/shared/csv';

const BOM = '\uFEFF';

/** Everything written to a PassThrough, once it ends. */
function collect(out: PassThrough): Promise<string> {
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) =>
    out.on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))),
  );
}

describe('neutralise', () => {
  it.each([
    ['=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['+1', `'+1`],
    ['-foo', `'-foo`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['a=b', 'a=b'],
    ['氣候', '氣候'],
    ['', ''],
  ])('%j -> %j', (input, expected) => expect(neutralise(input)).toBe(expected));

  it('leaves numbers as numbers and writes dates as ISO 8601', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(1 / 3)).toBe(String(1 / 3));
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2025-01-02T03:04:05Z'))).toBe('2025-01-02T03:04:05.000Z');
  });

  it('passes anything but text through, and never writes NaN, Infinity or an invalid date', () => {
    expect(neutralise(-2)).toBe(-2);
    expect(neutralise(null)).toBeNull();
    expect([NaN, Infinity, undefined, new Date('nope')].map(csvCell)).toEqual(['', '', '', '']);
  });
});

describe('writing', () => {
  it('a string: RFC 4180 with a BOM and CRLF, formula-safe, line breaks quoted', () => {
    expect(
      writeCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [3, '=cmd'],
          ['two\nlines', 'cr\ronly'],
        ],
      ),
    ).toBe(`${BOM}a,b\r\n"x,y","say ""hi"""\r\n3,'=cmd\r\n"two\nlines","cr\ronly"\r\n`);
  });

  it('a stream: the same bytes as the string, from a sync or an async source', async () => {
    const rows = [
      ['a', 'b'],
      ['x,y', '+1'],
      [1.5, new Date('2025-01-02T03:04:05Z')],
    ];
    const expected = writeCsv(['a', 'b'], rows.slice(1));
    const out = new PassThrough();
    const text = collect(out);
    await streamCsv(out, rows);
    expect(await text).toBe(expected);

    async function* slowly() {
      for (const r of rows) {
        await new Promise((resolve) => setImmediate(resolve));
        yield r;
      }
    }
    const out2 = new PassThrough();
    const text2 = collect(out2);
    await streamCsv(out2, slowly());
    expect(await text2).toBe(expected);
    expect(parse(expected, { bom: true })).toEqual([
      ['a', 'b'],
      ['x,y', "'+1"],
      ['1.5', '2025-01-02T03:04:05.000Z'],
    ]);
  });

  it('takes rows only as fast as the output reads, and stops with OutputClosed when it closes', async () => {
    let pulled = 0;
    function* many() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield [i, 'x'.repeat(100)];
      }
    }
    // A sink that accepts nothing until told to: the stringifier's buffer fills, then reading stops.
    const out = new Writable({ highWaterMark: 1024, write: () => undefined });
    const done = streamCsv(out, many());
    done.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stalled = pulled;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pulled).toBe(stalled);
    expect(pulled).toBeLessThan(10_000);
    out.destroy();
    await expect(done).rejects.toBeInstanceOf(OutputClosed);
    expect(pulled).toBe(stalled);
  });
});

describe('reading an upload', () => {
  it('strips the BOM, takes the delimiter from the header line and keeps line numbers', () => {
    expect(readCsvUpload(Buffer.from(`${BOM}Code;Name\n\na;Alpha\nb;"Beta; two"\n`))).toEqual([
      { row: 1, values: ['Code', 'Name'] },
      { row: 3, values: ['a', 'Alpha'] },
      { row: 4, values: ['b', 'Beta; two'] },
    ]);
    expect(readCsvUpload(Buffer.from('a\tb\r\n1\t2\r\n')).map((r) => r.values)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(readCsvUpload(Buffer.from('a,b;c\n1,2;3\n')).map((r) => r.values)).toEqual([
      ['a', 'b;c'],
      ['1', '2;3'],
    ]);
  });

  it.each([
    ['encoding', Buffer.from([0xa4, 0xa4, 0xa4, 0xe5, 0x2c, 0x61])], // Big5 bytes are not UTF-8
    ['malformed', Buffer.from('a,b\n"open,x\n')],
  ])('refuses a file it cannot read (%s)', (reason, buf) => {
    expect(() => readCsvUpload(buf)).toThrow(CsvReadError);
    try {
      readCsvUpload(buf);
    } catch (err) {
      expect((err as CsvReadError).reason).toBe(reason);
    }
  });
});
