import { parentPort } from 'node:worker_threads';
import { BSON } from 'mongodb';
import type { Assessment } from '../assessments/model/assessment.types';
import { decodeBlock } from '../results/tallies/answer-codec';
import type { FlagClass } from '../results/tallies/quality-flags';
import { computeAnalytics, type Quality } from './compute';
import { DatasetBuilder } from './dataset';
import { setupOf } from './setup';
import type { ResponseRecord } from './types';

/**
 * The analytics computation in a worker thread (node:worker_threads), so that the server's event
 * loop stays free while it runs: the job (job.ts) reads the responses as raw BSON and posts them
 * here in packed batches (transferred, not copied); this thread decodes them, scores them into the
 * dataset, runs the bootstrap, the weight draws and the rest, and answers the result as JSON.
 */
export interface WorkerInit {
  type: 'init';
  assessment: Assessment;
  excluded: FlagClass[];
  quality: Quality;
  dataVersion: string;
  computedAt: string;
  seed: number;
}
export type ToWorker =
  | WorkerInit
  | { type: 'batch'; bytes: Uint8Array }
  | { type: 'block'; groups: string[]; topics: string[]; bytes: Uint8Array }
  | { type: 'end' };
export type FromWorker =
  | { type: 'progress'; value: number }
  | { type: 'done'; json: string }
  | { type: 'error'; message: string };

const PROGRESS_EVERY_MS = 200;
type Doc = ResponseRecord & { flags?: FlagClass[] };

/** Whether a response counts: none of its flags is an excluded class. */
const kept = (doc: { flags?: readonly FlagClass[] }, excluded: readonly FlagClass[]) =>
  !(doc.flags ?? []).some((f) => excluded.includes(f));

function serve(port: NonNullable<typeof parentPort>) {
  let init: WorkerInit | undefined;
  let builder: DatasetBuilder | undefined;
  const post = (m: FromWorker) => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'init') {
        init = m;
        builder = new DatasetBuilder(setupOf(m.assessment));
      } else if (m.type === 'block') {
        if (!builder || !init) throw new Error('block before init');
        const excluded = init.excluded;
        const b = builder;
        // The builder keeps nothing of a record (it copies the scores): decode into shared objects.
        decodeBlock(
          { groups: m.groups, topics: m.topics, data: m.bytes },
          (doc) => {
            if (kept(doc, excluded)) b.add(doc);
          },
          { reuse: true },
        );
      } else if (m.type === 'batch') {
        if (!builder || !init) throw new Error('batch before init');
        // A batch is the responses' BSON documents back to back, each prefixed by its length.
        const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
        for (let off = 0; off < m.bytes.byteLength;) {
          const len = view.getInt32(off, true);
          const doc = BSON.deserialize(m.bytes.subarray(off, off + len)) as Doc;
          off += len;
          if (kept(doc, init.excluded)) builder.add(doc);
        }
      } else {
        if (!builder || !init) throw new Error('end before init');
        const gen = computeAnalytics(setupOf(init.assessment), builder.build(), {
          assessmentId: init.assessment._id,
          dataVersion: init.dataVersion,
          computedAt: init.computedAt,
          seed: init.seed,
          quality: init.quality,
        });
        let last = Date.now();
        for (;;) {
          const step = gen.next();
          if (step.done) {
            post({ type: 'done', json: JSON.stringify(step.value) });
            return;
          }
          if (Date.now() - last >= PROGRESS_EVERY_MS) {
            post({ type: 'progress', value: step.value });
            last = Date.now();
          }
        }
      }
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
}

if (parentPort) serve(parentPort);
