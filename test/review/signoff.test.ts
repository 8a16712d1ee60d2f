import mongoose from 'mongoose';
import request from 'supertest';
import { buildProgram, type WithDb } from '../../src/cli/index';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { closedAssessment, REASON, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const put = (token: string, path: string, body: object) =>
  request(app).put(path).set(bearer(token)).send(body);
const del = (token: string, path: string, body: object) =>
  request(app).delete(path).set(bearer(token)).send(body);

const entries = async (token: string, id: string) =>
  (await request(app).get(`/api/v1/assessments/${id}/audit?limit=200`).set(bearer(token))).body
    .entries as { action: string; target?: string; actor: { email?: string } }[];

async function runCli(...args: string[]) {
  const withDb: WithDb = (fn) => fn();
  let out = '';
  const io = { out: (s: string) => ((out += s), true), err: () => true };
  try {
    await buildProgram(withDb, io).parseAsync(args, { from: 'user' });
    return { out };
  } catch (error) {
    return { out, error };
  }
}

describe('overrides', () => {
  it('without a rationale of 20 characters: 422, and nothing changes', async () => {
    const { api, id } = await closedAssessment(app);
    const before = await mongoose.connection
      .collection('assessments')
      .findOne({ _id: id as never });
    for (const body of [
      { material: true },
      { material: true, rationale: '   too short     ' },
      {},
    ]) {
      const r = await put(api.token, `/api/v1/assessments/${id}/overrides/t2`, body);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.details.length).toBeGreaterThan(0);
    }
    const del422 = await del(api.token, `/api/v1/assessments/${id}/overrides/t2`, {});
    expect(del422.status).toBe(422);
    const after = await mongoose.connection.collection('assessments').findOne({ _id: id as never });
    expect(after).toEqual(before);
    expect((await entries(api.token, id)).some((e) => e.action.startsWith('override'))).toBe(false);
  });

  it('set and removed: results show computed and final side by side, with who and when', async () => {
    const { api, id } = await closedAssessment(app);
    const base = (await api.get(`/api/v1/assessments/${id}/results`)).body;
    const t2 = base.topics.find((t: { code: string }) => t.code === 't2');
    const r = await put(api.token, `/api/v1/assessments/${id}/overrides/t2`, {
      material: !t2.computedMaterial,
      rationale: REASON,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ material: !t2.computedMaterial, rationale: REASON });
    const res = (await api.get(`/api/v1/assessments/${id}/results`)).body;
    const o = res.topics.find((t: { code: string }) => t.code === 't2');
    expect(o.material).toBe(!t2.computedMaterial);
    expect(o.computedMaterial).toBe(t2.computedMaterial);
    expect(o.override).toEqual({
      material: !t2.computedMaterial,
      rationale: REASON,
      by: api.user.email,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(
      (await del(api.token, `/api/v1/assessments/${id}/overrides/t2`, { rationale: REASON }))
        .status,
    ).toBe(204);
    const back = (await api.get(`/api/v1/assessments/${id}/results`)).body;
    expect(back.topics.find((t: { code: string }) => t.code === 't2').override).toBeNull();
    const log = await entries(api.token, id);
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['override.delete', 'override.set']);
  });

  it('an unknown topic is 404; a viewer may not override (403)', async () => {
    const { api, id } = await closedAssessment(app);
    expect(
      (
        await put(api.token, `/api/v1/assessments/${id}/overrides/nope`, {
          material: true,
          rationale: REASON,
        })
      ).status,
    ).toBe(404);
    const viewer = await apiClient(app, 'viewer');
    expect(
      (
        await put(viewer.token, `/api/v1/assessments/${id}/overrides/t1`, {
          material: true,
          rationale: REASON,
        })
      ).status,
    ).toBe(403);
  });

  it('two analysts overriding at once: both changes stand and both are in the log', async () => {
    const { api, id } = await closedAssessment(app, { topics: ['t1', 't2', 't3'] });
    const other = await apiClient(app, 'analyst');
    const [a, b] = await Promise.all([
      put(api.token, `/api/v1/assessments/${id}/overrides/t1`, {
        material: false,
        rationale: REASON,
      }),
      put(other.token, `/api/v1/assessments/${id}/overrides/t3`, {
        material: true,
        rationale: REASON,
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const res = (await api.get(`/api/v1/assessments/${id}/results`)).body;
    const overridden = res.topics
      .filter((t: { override: unknown }) => t.override)
      .map((t: { code: string }) => t.code);
    expect(overridden.sort()).toEqual(['t1', 't3']);
    const sets = (await entries(api.token, id)).filter((e) => e.action === 'override.set');
    expect(sets.map((e) => `${e.target}:${e.actor.email}`).sort()).toEqual(
      [`t1:${api.user.email}`, `t3:${other.user.email}`].sort(),
    );
  });
});

describe('sign-off', () => {
  it('needs status closed: an open assessment is 409 invalid_status', async () => {
    const { api, id } = await closedAssessment(app);
    await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' });
    const approver = await apiClient(app, 'approver');
    const r = await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('invalid_status');
  });

  it('validates its body and the role', async () => {
    const { id } = await closedAssessment(app);
    const approver = await apiClient(app, 'approver');
    for (const bad of [
      { ...SIGN, meetingDate: '20-03-2026' },
      { ...SIGN, meetingDate: '2026-02-30' },
      { ...SIGN, body: '' },
      { ...SIGN, minutesRef: 'x'.repeat(201) },
    ])
      expect((await approver.post(`/api/v1/assessments/${id}/signoff`, bad)).status).toBe(422);
    const analyst = await apiClient(app, 'analyst');
    expect((await analyst.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(403);
  });

  it('borderline topics need a recorded decision: 409 review_incomplete lists them', async () => {
    const { api, id } = await closedAssessment(app, { band: 2 });
    const approver = await apiClient(app, 'approver');
    const r = await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('review_incomplete');
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'topics.t1',
      'topics.t2',
    ]);
    expect(
      (await put(api.token, `/api/v1/assessments/${id}/decisions/t1`, { rationale: REASON }))
        .status,
    ).toBe(204);
    expect(
      (
        await put(api.token, `/api/v1/assessments/${id}/overrides/t2`, {
          material: true,
          rationale: REASON,
        })
      ).status,
    ).toBe(200);
    const queue = (await approver.get(`/api/v1/assessments/${id}/review`)).body;
    expect(
      queue.items.map((i: { code: string; decision: string }) => `${i.code}:${i.decision}`),
    ).toEqual(expect.arrayContaining(['t1:keep', 't2:override']));
    expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
  });

  it('four eyes: an admin who set every override cannot sign; another approver can', async () => {
    const { id } = await closedAssessment(app);
    const admin = await apiClient(app, 'admin');
    await put(admin.token, `/api/v1/assessments/${id}/overrides/t1`, {
      material: false,
      rationale: REASON,
    });
    const own = await admin.post(`/api/v1/assessments/${id}/signoff`, SIGN);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('four_eyes');
    const approver = await apiClient(app, 'approver');
    expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
  });

  it('freezes every results-changing write (API and CLI), keeps results byte-identical, and reopens with a reason', async () => {
    const { api, id, links } = await closedAssessment(app);
    const approver = await apiClient(app, 'approver');
    const signed = await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN);
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('approved');
    expect(signed.body.signOff).toEqual({
      by: approver.user.email,
      at: expect.any(String),
      meetingDate: SIGN.meetingDate,
      body: SIGN.body,
      minutesRef: SIGN.minutesRef,
      comment: SIGN.comment,
    });
    const frozenText = (await api.get(`/api/v1/assessments/${id}/results`)).text;
    expect(JSON.parse(frozenText).signOff.body).toBe(SIGN.body);

    const writes: [string, () => Promise<request.Response>][] = [
      ['settings', () => api.patch(`/api/v1/assessments/${id}`, { settings: { rule: 'both' } })],
      [
        'weights',
        () => api.patch(`/api/v1/assessments/${id}`, { settings: { weights: { A: 3 } } }),
      ],
      ['name', () => api.patch(`/api/v1/assessments/${id}`, { name: 'Renamed' })],
      [
        'topic',
        () =>
          api.post(`/api/v1/assessments/${id}/topics`, {
            code: 'x',
            name: { en: 'x' },
            category: 'E',
          }),
      ],
      [
        'group',
        () =>
          api.post(`/api/v1/assessments/${id}/groups`, {
            code: 'G',
            name: { en: 'G' },
            kind: 'internal',
            weight: 1,
            instruments: ['impact'],
          }),
      ],
      ['status', () => api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })],
      [
        'links',
        () => api.post(`/api/v1/assessments/${id}/invitations`, { group: 'A', kind: 'open' }),
      ],
      [
        'override',
        () =>
          put(api.token, `/api/v1/assessments/${id}/overrides/t1`, {
            material: true,
            rationale: REASON,
          }),
      ],
      [
        'override delete',
        () => del(api.token, `/api/v1/assessments/${id}/overrides/t1`, { rationale: REASON }),
      ],
      [
        'decision',
        () => put(api.token, `/api/v1/assessments/${id}/decisions/t1`, { rationale: REASON }),
      ],
      [
        'response',
        () =>
          request(app)
            .post(`/api/v1/survey/${links.A}`)
            .send({ answers: [{ instrument: 'impact', topic: 't1', significance: 1 }] }),
      ],
    ];
    for (const [what, write] of writes) {
      const r = await write();
      expect([what, r.status, r.body.error?.code]).toEqual([what, 409, 'assessment_signed_off']);
    }
    const cli = await runCli('results:rebuild', '--assessment', id);
    expect((cli.error as { code?: string } | undefined)?.code).toBe('assessment_signed_off');
    expect((await api.get(`/api/v1/assessments/${id}/results`)).text).toBe(frozenText);

    expect(
      (await approver.post(`/api/v1/assessments/${id}/reopen`, { reason: 'short' })).status,
    ).toBe(422);
    expect((await api.post(`/api/v1/assessments/${id}/reopen`, { reason: REASON })).status).toBe(
      403,
    );
    const reopened = await approver.post(`/api/v1/assessments/${id}/reopen`, { reason: REASON });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('closed');
    expect(reopened.body.signOff).toBeNull();
    const doc = await mongoose.connection.collection('assessments').findOne({ _id: id as never });
    expect(doc?.signOffHistory).toHaveLength(1);
    expect(doc?.signOffHistory[0]).toMatchObject({
      body: SIGN.body,
      reason: REASON,
      reopenedBy: approver.user.email,
    });
    const log = await entries(api.token, id);
    expect(log[0]).toMatchObject({ action: 'reopen', actor: { email: approver.user.email } });
    expect(log.find((e) => e.action === 'signoff')).toBeTruthy();
    // Writable again.
    expect((await api.patch(`/api/v1/assessments/${id}`, { name: 'Renamed' })).status).toBe(200);
  });
});
