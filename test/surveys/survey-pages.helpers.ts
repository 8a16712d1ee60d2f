import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { apiClient } from '../helpers/api';
import { csrfFrom } from '../helpers/app';
import { storedResponses } from '../helpers/db';

// Shared set-up of the survey-pages-*.test.ts files: the questionnaire pages at /s/:token driven as a
// browser without JavaScript would, with plain form posts page by page, each with the CSRF token of
// the page it came from.

export type Agent = ReturnType<typeof request.agent>;
type Api = Awaited<ReturnType<typeof apiClient>>;

export const db = () => mongoose.connection;

/** `value`, or a failed test when it is missing (where `!` would only claim it is there). */
export function present<T>(value: T | null | undefined, what = 'a value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}

/** Where a redirect leads; a failed test when the response is no redirect. */
export const locationOf = (res: { headers: Record<string, string> }) =>
  present(res.headers.location, 'a Location header');

export const responsesOf = (id: string) => storedResponses(id);
export const draftsOf = (id: string) =>
  db().collection('drafts').find({ assessmentId: id }).toArray();

interface Setup {
  group?: string;
  kind?: 'personal' | 'open';
  count?: number;
  before?: (api: Api, id: string) => Promise<void>;
  open?: boolean;
}

/**
 * `survey(setup)` on `app`: creates an assessment from the xiaomi-2024 template, opens it (unless
 * `open: false`) and issues `count` links (at least one) for `group`.
 */
export function surveyOn(app: Express) {
  return async function survey({
    group = 'users',
    kind = 'personal',
    count = 1,
    before,
    open = true,
  }: Setup = {}) {
    const api = await apiClient(app, 'analyst');
    const created = await api.post('/api/v1/assessments', {
      name: 'DMA 2025',
      reportingYear: 2025,
      template: 'xiaomi-2024',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    if (before) await before(api, id);
    if (open)
      expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(
        200,
      );
    const inv = await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind, count });
    expect(inv.status).toBe(201);
    return {
      api,
      id,
      tokens: (inv.body as { token: string }[]).map((l) => l.token) as [string, ...string[]],
    };
  };
}

/** The radio groups (field keys) of a questionnaire page, in page order. */
export const fieldsOf = (html: string) => [
  ...new Set([...html.matchAll(/name="((?:impact|financial):[^"]+)"/g)].map((m) => present(m[1]))),
];
export const checkedOf = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/name="([^"]+)" value="([^"]+)" checked/g)].map((m) => [m[1], m[2]]),
  );
export const pageOf = (location: string) => Number(/[?&]page=(\d+)/.exec(location)?.[1]);
export const idOf = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '-');

/** Intro → Start (posting the intro form's fields, as a browser does); returns where Start led. */
export async function startSurvey(
  agent: Agent,
  token: string,
  headers: Record<string, string> = { 'Accept-Language': 'en' },
) {
  const intro = await agent.get(`/s/${token}`).set(headers);
  expect(intro.status).toBe(200);
  const lang = /name="lang" value="([^"]+)"/.exec(intro.text)?.[1];
  const res = await agent
    .post(`/s/${token}/start`)
    .type('form')
    .send({ _csrf: csrfFrom(intro.text), lang });
  expect(res.status).toBe(303);
  return locationOf(res);
}

/** Answers one page: every field `pick` returns a value for; returns the POST's response. */
export async function answerPage(
  agent: Agent,
  token: string,
  n: number,
  pick: (key: string) => string | undefined,
  extra: Record<string, string> = { nav: 'next' },
) {
  const page = await agent.get(`/s/${token}?page=${n}`);
  expect(page.status).toBe(200);
  const body: Record<string, string> = { _csrf: csrfFrom(page.text), page: String(n), ...extra };
  for (const key of fieldsOf(page.text)) {
    const v = pick(key);
    if (v !== undefined) body[key] = v;
  }
  const res = await agent.post(`/s/${token}`).type('form').send(body);
  expect(res.status).toBe(303);
  return { page, res, fields: fieldsOf(page.text) };
}

/** Answers every page from `location` on, then returns the review page (for its CSRF token). */
export async function answerAll(
  agent: Agent,
  token: string,
  location: string,
  pick: (key: string) => string | undefined,
) {
  const answered: Record<string, string> = {};
  while (/[?&]page=\d+/.test(location)) {
    const { res, fields } = await answerPage(agent, token, pageOf(location), (k) => {
      const v = pick(k);
      if (v !== undefined) answered[k] = v;
      return v;
    });
    expect(fields.length).toBeGreaterThan(0);
    location = locationOf(res);
  }
  expect(location).toBe(`/s/${token}/review`);
  const review = await agent.get(location);
  expect(review.status).toBe(200);
  return { review, answered };
}

export const submit = (agent: Agent, token: string, csrf: string) =>
  agent.post(`/s/${token}/submit`).set('Accept-Language', 'en').type('form').send({ _csrf: csrf });

/** A deterministic answer per field: "dk" for every seventh, else 1..5. */
export function patterned() {
  let i = 0;
  const values = new Map<string, string>();
  return (key: string) => {
    if (!values.has(key)) {
      values.set(key, i % 7 === 0 ? 'dk' : String((i % 5) + 1));
      i++;
    }
    return values.get(key);
  };
}

export async function completeSurvey(
  agent: Agent,
  token: string,
  pick: (key: string) => string | undefined = () => '4',
) {
  return completeSurveyFrom(agent, token, await startSurvey(agent, token), pick);
}

export async function completeSurveyFrom(
  agent: Agent,
  token: string,
  location: string,
  pick: (key: string) => string | undefined = () => '4',
) {
  const { review, answered } = await answerAll(agent, token, location, pick);
  const res = await submit(agent, token, csrfFrom(review.text));
  expect(res.status).toBe(303);
  return { res, answered };
}
