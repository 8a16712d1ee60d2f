import mongoose from 'mongoose';
import { MAX_GROUPS, MAX_IROS, MAX_TOPICS } from '../../src/assessments/model/limits';
import { importTopics } from '../../src/assessments/services/topic.service';
import { ValidationError } from '../../src/shared/errors';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff } from './pages.helpers';

useTestDb();
const app = makeApp();

const stored = async (id: string) =>
  (await mongoose.connection
    .collection<{ _id: string; topics: unknown[]; groups: unknown[]; iros: unknown[] }>(
      'assessments',
    )
    .findOne({ _id: id }))!;

const rows = (n: number, prefix = 't') =>
  Array.from({ length: n }, (_, i) => ({
    code: `${prefix}${i}`,
    name: { en: `Topic ${i}` },
    category: 'E',
  }));

describe('how much one assessment holds', () => {
  it(`refuses a topic beyond ${MAX_TOPICS} with a 422 naming the field, and stores nothing`, async () => {
    const api = await apiClient(app, 'analyst');
    const id = (await api.post('/api/v1/assessments', { name: 'Caps', reportingYear: 2025 })).body
      .id as string;
    await importTopics(api.user, id, rows(MAX_TOPICS - 1));
    const last = await api.post(`/api/v1/assessments/${id}/topics`, rows(1, 'last')[0]);
    expect(last.status).toBe(201);
    const over = await api.post(`/api/v1/assessments/${id}/topics`, rows(1, 'over')[0]);
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('validation_failed');
    expect(over.body.error.message).toContain(`at most ${MAX_TOPICS} topics`);
    expect(over.body.error.details).toEqual([
      { path: 'code', message: `An assessment can have at most ${MAX_TOPICS} topics.` },
    ]);
    expect((await stored(id)).topics).toHaveLength(MAX_TOPICS);
  });

  it('refuses an import that would pass the cap, as a whole, with the reason on the page', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const api = await apiClient(app, 'analyst');
    await importTopics(api.user, id, rows(MAX_TOPICS - 2));
    await expect(importTopics(api.user, id, rows(3, 'x'))).rejects.toBeInstanceOf(ValidationError);
    const header = 'code,name_en,category';
    const csv = `${header}\r\nx1,One,E\r\nx2,Two,S\r\nx3,Three,G\r\n`;
    const res = await s.agent
      .post(`/assessments/${id}/topic-import`)
      .field('_csrf', s.csrf)
      .attach('file', Buffer.from(csv), 'topics.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain(`at most ${MAX_TOPICS} topics`);
    expect((await stored(id)).topics).toHaveLength(MAX_TOPICS - 2);
    // Two still fit.
    expect((await importTopics(api.user, id, rows(2, 'y'))).imported).toBe(2);
  });

  it(`refuses a stakeholder group beyond ${MAX_GROUPS}`, async () => {
    const api = await apiClient(app, 'analyst');
    const id = (await api.post('/api/v1/assessments', { name: 'Groups', reportingYear: 2025 })).body
      .id as string;
    const group = (code: string) => ({
      code,
      name: { en: code },
      kind: 'external',
      weight: 1,
      instruments: ['impact'],
    });
    for (let i = 0; i < MAX_GROUPS; i++)
      expect((await api.post(`/api/v1/assessments/${id}/groups`, group(`g${i}`))).status).toBe(201);
    const over = await api.post(`/api/v1/assessments/${id}/groups`, group('over'));
    expect(over.status).toBe(422);
    expect(over.body.error.details).toEqual([
      { path: 'code', message: `An assessment can have at most ${MAX_GROUPS} stakeholder groups.` },
    ]);
    expect((await stored(id)).groups).toHaveLength(MAX_GROUPS);
  });

  it('states the caps so that the largest possible assessment stays far below 16 MB', () => {
    // Every text at its bound (README, Security): names 200, definitions 2000, in three languages.
    const topic = 3 * (200 + 2000) * 3 + 200; // UTF-8: at most 3 bytes a character
    const iro = 2000 * 3 + 100;
    expect(MAX_TOPICS * topic + MAX_IROS * iro).toBeLessThan((16 * 1024 * 1024) / 2);
  });
});
