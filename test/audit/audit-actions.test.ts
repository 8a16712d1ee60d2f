import request from 'supertest';
import { AUDIT_ACTIONS, type AuditAction } from '../../src/audit/audit.actions';
import { readScope } from '../../src/audit/audit.reader';
import { readAll } from '../../src/audit/audit.global';
import { createToken, revokeToken } from '../../src/auth/token.service';
import { createUser, updateUser } from '../../src/auth/user.service';
import { buildProgram, type WithDb } from '../../src/cli/index';
import { addIro, removeIro } from '../../src/assessments/services/iro.service';
import { removeTopic, updateTopic } from '../../src/assessments/services/topic.service';
import { removeGroup, updateGroup } from '../../src/assessments/services/group.service';
import { revokeLink } from '../../src/invitations/link.service';
import { apiClient } from '../helpers/api';
import { createTestUser, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { closedAssessment, REASON, SIGN } from '../review/review.helpers';

// Every kind of change writes its entry: one row per action of api.md, each performed the way a
// person or the CLI would, then the newest entry of its scope is checked.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

/** Produced by another piece (the analytics exclusions PUT); listed so the table stays complete. */
const ELSEWHERE: AuditAction[] = ['exclusion.set'];

interface Ctx {
  id: string;
  api: Awaited<ReturnType<typeof apiClient>>;
  admin: Awaited<ReturnType<typeof apiClient>>;
  approver: Awaited<ReturnType<typeof apiClient>>;
  link: string;
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
let ctx: Ctx;

beforeAll(async () => {
  const { api, id } = await closedAssessment(app, { topics: ['t1', 't2', 't3'] });
  const admin = await apiClient(app, 'admin');
  const approver = await apiClient(app, 'approver');
  ctx = { id, api, admin, approver, link: '' };
});

async function cli(...args: string[]) {
  const withDb: WithDb = (fn) => fn();
  await buildProgram(withDb, { out: () => true, err: () => true }).parseAsync(args, {
    from: 'user',
  });
}

/** action, what does it, what its entry holds, and where it is logged (an assessment id or `system`). */
type Row = [AuditAction, () => Promise<unknown>, Record<string, unknown>, () => string];

const rows = (): Row[] => {
  const { id, api, admin, approver } = ctx;
  const base = () => id;
  const draft = () => ctx.id;
  const system = () => 'system';
  let copyId = '';
  return [
    [
      'assessment.create',
      async () => {
        const r = await api.post('/api/v1/assessments', { name: 'Audit me', reportingYear: 2024 });
        ctx.id = r.body.id; // the rows below work on this fresh draft
      },
      { after: { name: 'Audit me', reportingYear: 2024, template: 'blank' } },
      draft,
    ],
    [
      'topic.create',
      () =>
        ctx.api.post(`/api/v1/assessments/${ctx.id}/topics`, {
          code: 'k1',
          name: { en: 'K one' },
          category: 'S',
        }),
      { target: 'k1' },
      draft,
    ],
    [
      'topic.update',
      () => updateTopic(api.user, ctx.id, 'k1', { name: { en: 'K uno' } }),
      { target: 'k1', before: { name: { en: 'K one' } }, after: { name: { en: 'K uno' } } },
      draft,
    ],
    [
      'group.create',
      () =>
        ctx.api.post(`/api/v1/assessments/${ctx.id}/groups`, {
          code: 'g1',
          name: { en: 'G' },
          kind: 'internal',
          weight: 1,
          instruments: ['impact'],
        }),
      { target: 'g1' },
      draft,
    ],
    [
      'group.update',
      () => updateGroup(api.user, ctx.id, 'g1', { weight: 2 }),
      { target: 'g1', before: { weight: 1 }, after: { weight: 2 } },
      draft,
    ],
    [
      'assessment.update',
      () =>
        ctx.api.patch(`/api/v1/assessments/${ctx.id}`, {
          name: 'Audited',
          settings: { rule: 'both' },
        }),
      {
        before: { name: 'Audit me', settings: { rule: 'either' } },
        after: { name: 'Audited', settings: { rule: 'both' } },
      },
      draft,
    ],
    [
      'iro.create',
      () =>
        addIro(api.user, ctx.id, {
          topic: 'k1',
          type: 'risk',
          actuality: 'actual',
          stage: 'upstream',
          horizon: 'short',
          description: 'd',
        }),
      { target: 'k1' },
      draft,
    ],
    [
      'iro.delete',
      async () => {
        const { AssessmentModel } = await import('../../src/assessments/model/assessment.model');
        const a = await AssessmentModel.findById(ctx.id).lean();
        await removeIro(api.user, ctx.id, a!.iros[0]!.id);
      },
      { target: 'k1' },
      draft,
    ],
    [
      'assessment.status',
      () => ctx.api.post(`/api/v1/assessments/${ctx.id}/status`, { status: 'open' }),
      { before: { status: 'draft' }, after: { status: 'open' } },
      draft,
    ],
    [
      'links.create',
      async () => {
        const r = await ctx.api.post(`/api/v1/assessments/${ctx.id}/invitations`, {
          group: 'g1',
          kind: 'personal',
          count: 2,
        });
        ctx.link = r.body[0].token;
      },
      { target: 'g1', after: { kind: 'personal', count: 2 } },
      draft,
    ],
    [
      'link.revoke',
      () => revokeLink(api.user, ctx.id, ctx.link),
      { before: { revoked: false }, after: { revoked: true } },
      draft,
    ],
    [
      'group.delete',
      async () => {
        await ctx.api.post(`/api/v1/assessments/${ctx.id}/groups`, {
          code: 'g2',
          name: { en: 'G2' },
          kind: 'internal',
          weight: 1,
          instruments: ['impact'],
        });
        // the assessment is open but has no response, so it is not locked
        await removeGroup(api.user, ctx.id, 'g2');
      },
      { target: 'g2' },
      draft,
    ],
    [
      'topic.delete',
      async () => {
        await ctx.api.post(`/api/v1/assessments/${ctx.id}/topics`, {
          code: 'k2',
          name: { en: 'K2' },
          category: 'S',
        });
        await removeTopic(api.user, ctx.id, 'k2');
      },
      { target: 'k2', before: { code: 'k2' } },
      draft,
    ],
    [
      'assessment.copy',
      async () => {
        copyId = (
          await ctx.api.post(`/api/v1/assessments/${id}/copy`, {
            name: 'Next',
            reportingYear: 2026,
          })
        ).body.id;
      },
      { after: { name: 'Next', reportingYear: 2026, copiedFrom: id } },
      () => copyId,
    ],
    [
      'override.set',
      () =>
        request(app)
          .put(`/api/v1/assessments/${id}/overrides/t1`)
          .set(bearer(api.token))
          .send({ material: false, rationale: REASON }),
      { target: 't1', after: { material: false, rationale: REASON } },
      base,
    ],
    [
      'override.delete',
      () =>
        request(app)
          .delete(`/api/v1/assessments/${id}/overrides/t1`)
          .set(bearer(api.token))
          .send({ rationale: REASON }),
      { target: 't1', before: { material: false, rationale: REASON } },
      base,
    ],
    [
      'review.decision',
      () =>
        request(app)
          .put(`/api/v1/assessments/${id}/decisions/t3`)
          .set(bearer(api.token))
          .send({ rationale: REASON }),
      { target: 't3', after: { decision: 'keep', rationale: REASON } },
      base,
    ],
    [
      'export',
      () => api.get(`/api/v1/assessments/${id}/export.csv`),
      { target: expect.stringMatching(/^2025-rankings.*\.csv$/) },
      base,
    ],
    [
      'results.rebuild',
      () => cli('results:rebuild', '--assessment', id),
      { actor: { cli: true } },
      base,
    ],
    [
      'signoff',
      async () =>
        expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200),
      { after: expect.objectContaining({ status: 'approved', body: SIGN.body }) },
      base,
    ],
    [
      'reopen',
      () => approver.post(`/api/v1/assessments/${id}/reopen`, { reason: REASON }),
      { after: { status: 'closed', reason: REASON } },
      base,
    ],
    [
      'user.create',
      () =>
        createUser(admin.user, {
          email: 'audited@example.com',
          password: 'a long enough password',
          role: 'viewer',
        }),
      { target: 'audited@example.com', after: { email: 'audited@example.com', role: 'viewer' } },
      system,
    ],
    [
      'user.update',
      async () => {
        const u = await createTestUser('viewer', 'promote@example.com');
        await updateUser(admin.user, u.id, { role: 'analyst' });
      },
      { target: 'promote@example.com', before: { role: 'viewer' }, after: { role: 'analyst' } },
      system,
    ],
    [
      'token.create',
      () => createToken(admin.user, 'ci'),
      { target: admin.user.email, after: { name: 'ci' } },
      system,
    ],
    [
      'token.revoke',
      async () => {
        const t = await createToken(admin.user, 'old');
        await revokeToken(admin.user, t.id);
      },
      { target: 'old' },
      system,
    ],
    [
      'login.failed',
      async () => {
        const agent = request.agent(app);
        const page = await agent.get('/login');
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
        await agent
          .post('/login')
          .type('form')
          .send({ email: 'nobody@example.com', password: 'wrong password!', _csrf: csrf });
      },
      { target: 'nobody@example.com' },
      system,
    ],
  ];
};

it('the table covers every action of the log', () => {
  const covered = new Set([...rows().map((r) => r[0]), ...ELSEWHERE]);
  expect(AUDIT_ACTIONS.filter((a) => !covered.has(a))).toEqual([]);
});

it('every kind of change produces its entry, with who and the changed fields', async () => {
  for (const [action, run, expected, scope] of rows()) {
    await run();
    const where = scope();
    const page =
      where === 'system' ? await readAll({ limit: 1 }) : await readScope(where, { limit: 1 });
    const e = page.entries[0];
    expect({ action, entry: e }).toMatchObject({
      action,
      entry: { action, at: expect.any(String), ...expected },
    });
    if (!('actor' in expected) && action !== 'login.failed')
      expect(e!.actor).toEqual({ id: expect.any(String), email: expect.any(String) });
  }
});
