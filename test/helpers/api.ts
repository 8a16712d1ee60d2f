import type { Express } from 'express';
import request from 'supertest';
import { createToken } from '../../src/auth/token.service';
import type { Role } from '../../src/auth/roles';
import { createTestUser } from './app';

/** A bearer token for a new user of `role`, and a helper that calls the API with it. */
export async function apiClient(app: Express, role: Role = 'analyst') {
  const user = await createTestUser(role);
  const { token } = await createToken(user, 'test');
  const auth = { Authorization: `Bearer ${token}` };
  return {
    user,
    token,
    get: (path: string) => request(app).get(path).set(auth),
    post: (path: string, body?: object) =>
      request(app)
        .post(path)
        .set(auth)
        .send(body ?? {}),
    patch: (path: string, body: object) => request(app).patch(path).set(auth).send(body),
  };
}

/** Answers for every asked criterion of a survey GET body, with `value(i)` per item. */
export function fullAnswers(
  survey: { instruments: { id: string; topics: { code: string; criteria: string[] }[] }[] },
  value: (i: number) => number | null = () => 4,
) {
  let i = 0;
  return survey.instruments.flatMap((inst) =>
    inst.topics.map((t) => ({
      instrument: inst.id,
      topic: t.code,
      ...Object.fromEntries(t.criteria.map((c) => [c, value(i++)])),
    })),
  );
}
