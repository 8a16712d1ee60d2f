import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../src/auth/roles';
import { fullAnswers } from '../helpers/api';
import { loggedInAgent, tokenFor } from '../helpers/app';

export type Agent = ReturnType<typeof request.agent>;

/** A logged-in agent and its CSRF token (one token serves every form of that browser). */
export async function staff(app: Express, role: Role = 'analyst') {
  const { agent, user } = await loggedInAgent(app, role);
  const csrf = await tokenFor(agent, '/assessments');
  const form = (path: string, body: Record<string, string | string[]> = {}) =>
    agent
      .post(path)
      .type('form')
      .send({ ...body, _csrf: csrf });
  return { agent, user, csrf, form };
}

/** Creates an assessment through the page and returns its id (from the 303 Location). */
export async function createThroughPage(
  s: Awaited<ReturnType<typeof staff>>,
  template = 'blank',
  name = `DMA ${template}`,
): Promise<string> {
  const res = await s.form('/assessments', { name, reportingYear: '2025', template });
  expect(res.status).toBe(303);
  const m = /^\/assessments\/([a-f0-9]{24})\?done=created$/.exec(res.headers.location!);
  if (!m) throw new Error(`unexpected redirect ${res.headers.location}`);
  return m[1]!;
}

export async function openThroughPage(s: Awaited<ReturnType<typeof staff>>, id: string) {
  const res = await s.form(`/assessments/${id}/status`, { status: 'open' });
  expect(res.status).toBe(303);
}

/** Tokens of the links listed in the CSV download (column `url`). */
export async function linkTokens(
  s: Awaited<ReturnType<typeof staff>>,
  id: string,
  group: string,
): Promise<string[]> {
  const csv = await s.agent.get(`/assessments/${id}/invitations.csv?group=${group}`);
  return [...csv.text.matchAll(/\/s\/([A-Za-z0-9_-]{16,64})/g)].map((m) => m[1]!);
}

/** Submits a complete response through the respondent JSON API. */
export async function submitResponse(app: Express, token: string) {
  const survey = await request(app).get(`/api/v1/survey/${token}`);
  expect(survey.status).toBe(200);
  const res = await request(app)
    .post(`/api/v1/survey/${token}`)
    .send({ answers: fullAnswers(survey.body) });
  expect(res.status).toBe(201);
}

/** The rows of the first table body in a page, as text without tags (good enough for assertions). */
export const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
