import mongoose from 'mongoose';
import { AssessmentModel } from '../../src/assessments/model/assessment.model';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import { markLocked } from '../../src/assessments/services/assessment.store';
import { removeTopic, updateTopic } from '../../src/assessments/services/topic.service';
import { clearHookPoints, onHookPoint } from '../../src/db/faults';
import { staff } from '../assessments/pages.helpers';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

// Concurrent staff edits of one assessment, against the real database: every edit is a
// compare-and-set on the assessment's version, and a change the lock forbids carries the lock in
// its write filter. The seam `assessment.beforeWrite` sits between an edit's read and its write.

useTestDb();
const app = makeApp();

const stored = async (id: string) => (await AssessmentModel.findById(id).lean<Assessment>())!;
const topicBody = (code: string, name = `Topic ${code}`) => ({
  code,
  name: { en: name },
  category: 'E',
});
const codes = (a: Assessment) => a.topics.map((t) => t.code);
/** The i-th element, which the test knows is there. */
function nth<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}

let api: Awaited<ReturnType<typeof apiClient>>;
let id: string;

beforeAll(async () => {
  api = await apiClient(app, 'analyst');
});

beforeEach(async () => {
  const res = await api.post('/api/v1/assessments', {
    name: 'Concurrent',
    reportingYear: 2025,
    template: 'hkex',
  });
  expect(res.status).toBe(201);
  id = res.body.id;
});

afterEach(() => clearHookPoints());

/** Holds the first `n` edits between their read and their write until all `n` have read: a sure race. */
function raceBetweenReadAndWrite(n = 2) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  onHookPoint(
    'assessment.beforeWrite',
    async () => {
      if (++arrived === n) release();
      await all;
    },
    n,
  );
}

describe('concurrent edits of different things', () => {
  it('keeps both of two topics added at the same time through the API', async () => {
    const before = await stored(id);
    raceBetweenReadAndWrite();
    const [a, b] = await Promise.all([
      api.post(`/api/v1/assessments/${id}/topics`, topicBody('x1')),
      api.post(`/api/v1/assessments/${id}/topics`, topicBody('x2')),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const after = await stored(id);
    expect(codes(after)).toEqual([...codes(before), ...codes(after).slice(-2)]);
    expect(codes(after).slice(-2).sort()).toEqual(['x1', 'x2']);
    expect(after.version).toBe((before.version ?? 0) + 2);
  });

  it('loses nothing when many edits race: each is stored (201) or refused (409 conflict), never silently dropped', async () => {
    const before = codes(await stored(id));
    const adds = Array.from({ length: 8 }, (_, i) => `m${i}`);
    const answers = await Promise.all(
      adds.map((c) => api.post(`/api/v1/assessments/${id}/topics`, topicBody(c))),
    );
    const after = codes(await stored(id));
    for (const [i, res] of answers.entries()) {
      if (res.status === 201) expect(after).toContain(adds[i]);
      else {
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('conflict');
        expect(after).not.toContain(adds[i]);
      }
    }
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
    expect(answers.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps two changes to different fields of the same topic', async () => {
    const s = await staff(app);
    const code = nth((await stored(id)).topics, 0).code;
    raceBetweenReadAndWrite();
    await Promise.all([
      updateTopic(s.user, id, code, { name: { en: 'Renamed' } }),
      updateTopic(s.user, id, code, { category: 'G' }),
    ]);
    const topic = (await stored(id)).topics.find((t) => t.code === code);
    expect(topic).toMatchObject({ name: { en: 'Renamed' }, category: 'G' });
  });

  it('keeps a weight change and a topic added at the same time', async () => {
    const before = await stored(id);
    const group = nth(before.groups, 0).code;
    raceBetweenReadAndWrite();
    const [w, t] = await Promise.all([
      api.patch(`/api/v1/assessments/${id}`, { settings: { weights: { [group]: 7 } } }),
      api.post(`/api/v1/assessments/${id}/topics`, topicBody('w1')),
    ]);
    expect([w.status, t.status]).toEqual([200, 201]);
    const after = await stored(id);
    expect(after.groups.find((g) => g.code === group)!.weight).toBe(7);
    expect(codes(after)).toContain('w1');
  });
});

describe('concurrent edits of the same topic', () => {
  it('through the pages: both succeed with one winning, or one answers 409 conflict; the list stays whole', async () => {
    const s = await staff(app);
    const before = await stored(id);
    const code = nth(before.topics, 1).code;
    const edit = (name: string) =>
      s.form(`/assessments/${id}/topics/${code}`, {
        'name.en': name,
        category: 'S',
        'impactProfile.nature': 'negative',
        'impactProfile.occurrence': 'actual',
      });
    raceBetweenReadAndWrite();
    const [a, b] = await Promise.all([edit('First'), edit('Second')]);
    for (const res of [a, b]) expect([303, 409]).toContain(res.status);
    const after = await stored(id);
    expect(codes(after)).toEqual(codes(before));
    const topic = nth(after.topics, 1);
    if (a.status === 303 && b.status === 303) expect(['First', 'Second']).toContain(topic.name.en);
    else expect(topic.name.en).toBe(a.status === 303 ? 'First' : 'Second');
    expect(topic.category).toBe('S');
    expect(after.topics.filter((_t, i) => i !== 1)).toEqual(
      before.topics.filter((_t, i) => i !== 1),
    );
  });

  it('an edit racing a removal never brings the topic back', async () => {
    const s = await staff(app);
    const code = nth((await stored(id)).topics, 2).code;
    raceBetweenReadAndWrite();
    const [edit, removal] = await Promise.allSettled([
      updateTopic(s.user, id, code, { name: { en: 'Late edit' } }),
      removeTopic(s.user, id, code),
    ]);
    expect(removal.status).toBe('fulfilled');
    if (edit.status === 'rejected') expect(edit.reason).toMatchObject({ status: 404 });
    const after = await stored(id);
    expect(codes(after)).not.toContain(code);
  });
});

describe('an edit racing the lock', () => {
  const lockBetweenReadAndWrite = () => onHookPoint('assessment.beforeWrite', () => markLocked(id));

  it('adding a topic read before the first response and written after it answers 409 assessment_locked', async () => {
    lockBetweenReadAndWrite();
    const res = await api.post(`/api/v1/assessments/${id}/topics`, topicBody('late'));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('assessment_locked');
    const after = await stored(id);
    expect(after.locked).toBe(true);
    expect(codes(after)).not.toContain('late');
  });

  it('so does a group, a topic change, a removal and an instrument mode change', async () => {
    const s = await staff(app);
    const before = await stored(id);
    const topic = nth(before.topics, 0);
    const group = nth(before.groups, 0);
    const attempts: [string, () => Promise<{ status: number; headers: Record<string, string> }>][] =
      [
        [
          'add group',
          () =>
            api.post(`/api/v1/assessments/${id}/groups`, {
              code: 'late',
              name: { en: 'Late' },
              kind: 'external',
              weight: 1,
              instruments: ['impact'],
              targetResponses: 0,
            }),
        ],
        [
          'mode',
          () =>
            api.patch(`/api/v1/assessments/${id}`, {
              settings: { instruments: { impact: { mode: 'assessment' } } },
            }),
        ],
        [
          'topic edit',
          () =>
            s.form(`/assessments/${id}/topics/${topic.code}`, {
              'name.en': 'Late name',
              category: 'E',
              'impactProfile.nature': 'negative',
              'impactProfile.occurrence': 'actual',
            }),
        ],
        [
          'topic move',
          () => s.form(`/assessments/${id}/topics/${topic.code}/move`, { direction: 'down' }),
        ],
        ['topic removal', () => s.form(`/assessments/${id}/topics/${topic.code}/remove`)],
        [
          'group rename',
          () =>
            s.form(`/assessments/${id}/groups/${group.code}`, {
              'name.en': 'Late group',
              kind: group.kind,
              instruments: group.instruments,
              weight: '1',
              targetResponses: '0',
            }),
        ],
        ['group removal', () => s.form(`/assessments/${id}/groups/${group.code}/remove`)],
      ];
    for (const [what, attempt] of attempts) {
      await AssessmentModel.updateOne({ _id: id }, { $set: { locked: false } });
      lockBetweenReadAndWrite();
      const res = await attempt();
      expect([what, res.status]).toEqual([what, 409]);
    }
    const after = await stored(id);
    expect({
      topics: after.topics,
      groups: after.groups,
      modes: after.settings.instruments,
    }).toEqual({
      topics: before.topics,
      groups: before.groups,
      modes: before.settings.instruments,
    });
  });

  it('a stale edit after the lock is refused too, while weights and the IRO register stay open', async () => {
    await markLocked(id);
    expect(
      (await api.post(`/api/v1/assessments/${id}/topics`, topicBody('after'))).body.error.code,
    ).toBe('assessment_locked');
    const s = await staff(app);
    const a = await stored(id);
    onHookPoint('assessment.beforeWrite', () => markLocked(id), 2);
    const weight = await api.patch(`/api/v1/assessments/${id}`, {
      settings: { weights: { [nth(a.groups, 0).code]: 2 } },
    });
    expect(weight.status).toBe(200);
    const iro = await s.form(`/assessments/${id}/topics/${nth(a.topics, 0).code}/iros`, {
      type: 'risk',
      actuality: 'potential',
      stage: 'downstream',
      horizon: 'long',
      description: 'Still open',
    });
    expect(iro.status).toBe(303);
    const after = await stored(id);
    expect(nth(after.groups, 0).weight).toBe(2);
    expect(after.iros.map((i) => i.description)).toEqual(['Still open']);
  });
});

describe('when retries run out', () => {
  // Someone else writes between every read and write of this edit.
  const keepChanging = () =>
    onHookPoint(
      'assessment.beforeWrite',
      async () => void (await AssessmentModel.updateOne({ _id: id }, { $inc: { version: 1 } })),
      100,
    );

  it('the API answers 409 conflict in the api.md error shape and stores nothing', async () => {
    const before = await stored(id);
    keepChanging();
    const res = await api.post(`/api/v1/assessments/${id}/topics`, topicBody('never'));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: {
        code: 'conflict',
        message:
          'This assessment was changed by someone else at the same time. Reload the page and try again.',
      },
    });
    expect((await stored(id)).topics).toEqual(before.topics);
  });

  it.each([
    [
      'en',
      'This assessment was changed by someone else at the same time. Reload the page and try again.',
    ],
    ['zh-Hant', '此評估剛被其他人同時更改。請重新載入頁面再試。'],
    ['zh-Hans', '此评估刚被其他人同时修改。请重新加载页面后重试。'],
  ])('the page says so in %s', async (lang, message) => {
    const s = await staff(app);
    const code = nth((await stored(id)).topics, 0).code;
    keepChanging();
    const res = await s.agent
      .post(`/assessments/${id}/topics/${code}/move?lang=${lang}`)
      .type('form')
      .send({ direction: 'down', _csrf: s.csrf });
    expect(res.status).toBe(409);
    expect(res.text).toContain(message);
  });
});

describe('an assessment stored before versions', () => {
  it('counts a missing version as 0', async () => {
    await mongoose.connection
      .collection('assessments')
      .updateOne({ _id: id as never }, { $unset: { version: '' } });
    raceBetweenReadAndWrite();
    const [a, b] = await Promise.all([
      api.post(`/api/v1/assessments/${id}/topics`, topicBody('v1')),
      api.post(`/api/v1/assessments/${id}/topics`, topicBody('v2')),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const after = await stored(id);
    expect(after.version).toBe(2);
    expect(codes(after).filter((c) => c.startsWith('v'))).toEqual(
      expect.arrayContaining(['v1', 'v2']),
    );
  });
});
