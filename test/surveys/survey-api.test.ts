import { storedResponseCount, storedResponses, useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { apiClient, fullAnswers } from '../helpers/api';
import request from 'supertest';
import { getStats } from '../../src/results/tallies/tally.service';
import { present } from './survey-pages.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

async function openAssessment(template = 'xiaomi-2024') {
  const api = await apiClient(app, 'analyst');
  const created = await api.post('/api/v1/assessments', {
    name: 'DMA 2025',
    reportingYear: 2025,
    template,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  return { api, id };
}

describe('respondent API', () => {
  it('serves the questionnaire of a personal link and accepts exactly one submission', async () => {
    const { api, id } = await openAssessment();
    const inv = await api.post(`/api/v1/assessments/${id}/invitations`, {
      group: 'users',
      kind: 'personal',
      count: 2,
    });
    expect(inv.status).toBe(201);
    expect(inv.body).toHaveLength(2);
    expect(inv.body[0].url).toMatch(/\/s\/[A-Za-z0-9_-]+$/);
    const token = inv.body[0].token;

    const survey = await request(app)
      .get(`/api/v1/survey/${token}`)
      .set('Accept-Language', 'zh-TW');
    expect(survey.status).toBe(200);
    expect(survey.body.assessment).toEqual({
      name: 'DMA 2025',
      languages: ['zh-Hant', 'zh-Hans', 'en'],
    });
    expect(survey.body.instruments.map((i: { id: string }) => i.id)).toEqual(['impact']);
    expect(survey.body.instruments[0].topics).toHaveLength(18);
    expect(survey.body.instruments[0].topics[1].name).toBe('產品與服務質量');

    const answers = fullAnswers(survey.body, (i) => (i === 0 ? null : 5));
    const first = await request(app)
      .post(`/api/v1/survey/${token}`)
      .send({ answers, locale: 'en', durationMs: 120000 });
    expect(first.status).toBe(201);
    expect(first.body.responseId).toEqual(expect.any(String));
    const second = await request(app).post(`/api/v1/survey/${token}`).send({ answers });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_submitted');

    const stored = await storedResponses(id);
    expect(stored).toHaveLength(1);
    expect(present(stored[0]).answers[0]).toEqual({
      instrument: 'impact',
      topic: 'tech-inclusion',
      significance: null,
    });
    expect(present(stored[0]).lang).toBe('en');
    expect(present(stored[0]).durationMs).toBe(120000);
    expect(JSON.stringify(stored[0])).not.toContain(token);
  });

  it('stores exactly one response when a personal link is submitted concurrently', async () => {
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'employees',
        kind: 'personal',
        count: 1,
      })
    ).body;
    const survey = (await request(app).get(`/api/v1/survey/${link.token}`)).body;
    const answers = fullAnswers(survey);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(app).post(`/api/v1/survey/${link.token}`).send({ answers }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await storedResponseCount(id)).toBe(1);
    const stats = await getStats(id);
    expect(stats.responses.total).toBe(1);
    expect(stats.links.employees).toEqual({ invited: 1, opened: 0, submitted: 1 });
  });

  it('accepts many submissions through an open link', async () => {
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'management', kind: 'open' })
    ).body;
    expect(link.kind).toBe('open');
    const survey = (await request(app).get(`/api/v1/survey/${link.token}`)).body;
    expect(survey.instruments[0].id).toBe('financial');
    expect(survey.instruments[0].topics[0].criteria).toEqual(['magnitude', 'likelihood']);
    for (let i = 0; i < 5; i++) {
      const r = await request(app)
        .post(`/api/v1/survey/${link.token}`)
        .send({ answers: fullAnswers(survey, () => 1 + i) });
      expect(r.status).toBe(201);
    }
    const stats = await getStats(id);
    expect(stats.responses.byGroup.management).toBe(5);
    // magnitude × likelihood / 5 for values 1..5 → 0.2, 0.8, 1.8, 3.2, 5
    expect(stats.tallies['tech-inclusion']?.financial?.management?.n).toBe(5);
    expect(stats.tallies['tech-inclusion']?.financial?.management?.sum).toBeCloseTo(11, 10);
  });

  it('rejects malformed answers with 422 and stores nothing', async () => {
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'users',
        kind: 'personal',
        count: 1,
      })
    ).body;
    const survey = (await request(app).get(`/api/v1/survey/${link.token}`)).body;
    const answers = fullAnswers(survey);
    const bad = [
      { answers: answers.slice(1) }, // one topic missing
      { answers: answers.map((a, i) => (i === 3 ? { ...a, significance: 6 } : a)) },
      { answers: answers.map((a, i) => (i === 3 ? { ...a, significance: 2.5 } : a)) },
      { answers: [...answers, { instrument: 'impact', topic: 'nope', significance: 3 }] },
      { answers: 'all fives' },
      { nothing: true },
    ];
    for (const body of bad) {
      const r = await request(app).post(`/api/v1/survey/${link.token}`).send(body);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const missing = await request(app)
      .post(`/api/v1/survey/${link.token}`)
      .send({ answers: answers.slice(1) });
    expect(missing.body.error.details).toEqual([
      {
        path: 'impact:tech-inclusion:significance',
        message: expect.stringContaining("Don't know"),
      },
    ]);
    expect(await storedResponseCount(id)).toBe(0);
    // The link is still usable afterwards.
    expect((await request(app).post(`/api/v1/survey/${link.token}`).send({ answers })).status).toBe(
      201,
    );
  });

  it('rejects a durationMs outside 0..24 h, a submissionId that is no UUID and unknown fields with 422, and stores nothing', async () => {
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'users',
        kind: 'personal',
        count: 1,
      })
    ).body;
    const survey = (await request(app).get(`/api/v1/survey/${link.token}`)).body;
    const answers = fullAnswers(survey);
    const responses = () => storedResponseCount(id);
    const before = await responses();
    const bad: [object, string][] = [
      [{ durationMs: 1e300 }, 'durationMs'],
      [{ durationMs: -1 }, 'durationMs'],
      [{ durationMs: 86_400_001 }, 'durationMs'],
      [{ durationMs: 'abc' }, 'durationMs'],
      [{ submissionId: 'not-a-uuid' }, 'submissionId'],
      [{ submissionId: '3b241101-e2bb-4255-8caf-4136c566a96' }, 'submissionId'], // one digit short
      [{ submissionId: 42 }, 'submissionId'],
      [{ durationMS: 120000 }, '(body)'], // a misspelt field is not silently dropped
    ];
    for (const [extra, path] of bad) {
      const r = await request(app)
        .post(`/api/v1/survey/${link.token}`)
        .send({ answers, ...extra });
      expect(r.status).toBe(422);
      expect(r.body.error).toEqual({
        code: 'validation_failed',
        message: 'Some fields are not valid.',
        details: [{ path, message: expect.any(String) }],
      });
    }
    const range = await request(app)
      .post(`/api/v1/survey/${link.token}`)
      .send({ answers, durationMs: 1e300 });
    expect(range.body.error.details).toEqual([
      {
        path: 'durationMs',
        message: 'durationMs must be a number of milliseconds from 0 to 86,400,000 (24 hours).',
      },
    ]);
    // Every bad field at once, the answers' envelope included.
    const all = await request(app)
      .post(`/api/v1/survey/${link.token}`)
      .send({ answers: 'all fives', durationMs: -1, submissionId: 'x' });
    expect(all.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'answers',
      'durationMs',
      'submissionId',
    ]);
    expect(await responses()).toBe(before);
    // The personal link was not used up: within the bounds the same submission is accepted.
    const ok = await request(app).post(`/api/v1/survey/${link.token}`).send({
      answers,
      durationMs: 86_400_000,
      submissionId: '3b241101-e2bb-4255-8caf-4136c566a963',
      locale: 'en',
    });
    expect(ok.status).toBe(201);
  });

  it('passes the client submissionId on: a retry through an open link answers the same responseId', async () => {
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'users', kind: 'open' })
    ).body;
    const answers = fullAnswers((await request(app).get(`/api/v1/survey/${link.token}`)).body);
    const send = (submissionId: string) =>
      request(app).post(`/api/v1/survey/${link.token}`).send({ answers, submissionId });
    const first = await send('6f1c2a8e-7d3b-4c5e-9a1f-2b3c4d5e6f70');
    const retry = await send('6f1c2a8e-7d3b-4c5e-9a1f-2b3c4d5e6f70');
    const other = await send('0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b');
    expect([first.status, retry.status, other.status]).toEqual([201, 201, 201]);
    expect(retry.body.responseId).toBe(first.body.responseId);
    expect(other.body.responseId).not.toBe(first.body.responseId);
  });

  it('answers 404 for unknown and revoked tokens and 403 when the assessment is not open', async () => {
    expect((await request(app).get('/api/v1/survey/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await request(app).get('/api/v1/survey/x')).status).toBe(404);
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'users',
        kind: 'personal',
        count: 1,
      })
    ).body;
    const survey = (await request(app).get(`/api/v1/survey/${link.token}`)).body;
    expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'closed' })).status).toBe(
      200,
    );
    const closed = await request(app)
      .post(`/api/v1/survey/${link.token}`)
      .send({ answers: fullAnswers(survey) });
    expect(closed.status).toBe(403);
    expect(closed.body.error.code).toBe('assessment_not_open');
    expect((await request(app).get(`/api/v1/survey/${link.token}`)).status).toBe(403);
  });

  it('locks topics, groups and instrument modes after the first response, but not weights or thresholds', async () => {
    const { api, id } = await openAssessment();
    const [link] = (
      await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'users', kind: 'open' })
    ).body;
    const topic = { code: 'water', name: { en: 'Water' }, category: 'E' };
    expect((await api.post(`/api/v1/assessments/${id}/topics`, topic)).status).toBe(201);
    const survey = (await request(app).get(`/api/v1/survey/${link.token}`)).body;
    expect(
      (
        await request(app)
          .post(`/api/v1/survey/${link.token}`)
          .send({ answers: fullAnswers(survey) })
      ).status,
    ).toBe(201);

    const t = await api.post(`/api/v1/assessments/${id}/topics`, { ...topic, code: 'water2' });
    expect(t.status).toBe(409);
    expect(t.body.error.code).toBe('assessment_locked');
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code: 'x',
          name: { en: 'X' },
          kind: 'external',
          weight: 1,
          instruments: ['impact'],
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await api.patch(`/api/v1/assessments/${id}`, {
          settings: { instruments: { impact: { mode: 'assessment' } } },
        })
      ).status,
    ).toBe(409);
    const ok = await api.patch(`/api/v1/assessments/${id}`, {
      settings: { thresholds: { impact: 3.5 }, rule: 'both', weights: { users: 2 } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.thresholds).toEqual({ impact: 3.5, financial: 3 });
    expect(ok.body.settings.weights.users).toBe(2);
  });
});
