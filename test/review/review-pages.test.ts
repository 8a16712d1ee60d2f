import mongoose from 'mongoose';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { staff } from '../assessments/pages.helpers';
import { closedAssessment, REASON, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

const PROVISIONAL = 'Provisional — not signed off';

describe('review pages', () => {
  it('every assessment page carries the stamp; a short rationale is re-shown with its error and changes nothing', async () => {
    const { id } = await closedAssessment(app);
    const analyst = await staff(app, 'analyst');
    for (const p of [
      '',
      '/topics',
      '/groups',
      '/rankings',
      '/matrix',
      '/exports',
      '/review',
      '/audit',
    ])
      expect([p, (await analyst.agent.get(`/assessments/${id}${p}`)).text]).toEqual([
        p,
        expect.stringContaining(PROVISIONAL),
      ]);
    const r = await analyst.form(`/assessments/${id}/review/overrides/t1`, {
      material: 'false',
      rationale: 'too short',
    });
    expect(r.status).toBe(422);
    expect(r.text).toContain('Write at least 20 characters.');
    const doc = await mongoose.connection.collection('assessments').findOne({ _id: id as never });
    expect(doc?.overrides ?? []).toEqual([]);
    const ok = await analyst.form(`/assessments/${id}/review/overrides/t1`, {
      material: 'false',
      rationale: REASON,
    });
    expect(ok.status).toBe(303);
    const page = (await analyst.agent.get(`/assessments/${id}/review`)).text;
    expect(page).toContain(REASON);
    expect(page).toContain(analyst.user.email);
  });

  it('sign-off through the page: the stamp changes, frozen page writes answer 409, reopen through the page', async () => {
    const { id } = await closedAssessment(app);
    const admin = await staff(app, 'admin');
    await admin.form(`/assessments/${id}/review/overrides/t1`, {
      material: 'false',
      rationale: REASON,
    });
    // Four eyes: the page says so, and a post is refused.
    expect((await admin.agent.get(`/assessments/${id}/review`)).text).toContain(
      'A one-person team cannot sign off here.',
    );
    const own = await admin.form(`/assessments/${id}/review/signoff`, SIGN);
    expect(own.status).toBe(409);

    const approver = await staff(app, 'approver');
    const bad = await approver.form(`/assessments/${id}/review/signoff`, {
      ...SIGN,
      meetingDate: 'soon',
    });
    expect(bad.status).toBe(422);
    const signed = await approver.form(`/assessments/${id}/review/signoff`, SIGN);
    expect(signed.status).toBe(303);
    const stamp = `Signed off on ${SIGN.meetingDate} by ${SIGN.body}`;
    for (const p of ['', '/rankings', '/review'])
      expect((await admin.agent.get(`/assessments/${id}${p}`)).text).toContain(stamp);

    const frozen = await admin.form(`/assessments/${id}/topics`, {
      code: 'zz',
      'name.en': 'Z',
      category: 'E',
    });
    expect(frozen.status).toBe(409);
    expect(frozen.text).toContain('reopen it on the Review page');
    const ov = await admin.form(`/assessments/${id}/review/overrides/t2`, {
      material: 'true',
      rationale: REASON,
    });
    expect(ov.status).toBe(409);

    expect((await approver.form(`/assessments/${id}/review/reopen`, { reason: 'no' })).status).toBe(
      422,
    );
    expect(
      (await approver.form(`/assessments/${id}/review/reopen`, { reason: REASON })).status,
    ).toBe(303);
    const after = (await admin.agent.get(`/assessments/${id}/review`)).text;
    expect(after).toContain(PROVISIONAL);
    expect(after).toContain(REASON);
  });

  it('audit pages: per assessment for viewers, global for admins, filters, cursor and CSV', async () => {
    const { id, api } = await closedAssessment(app);
    const viewer = await staff(app, 'viewer');
    const page = await viewer.agent.get(`/assessments/${id}/audit?action=assessment.status`);
    expect(page.status).toBe(200);
    expect((page.text.match(/data-action="assessment.status"/g) ?? []).length).toBe(2);
    expect(page.text).not.toContain('data-action="topic.create"');
    const first = await viewer.agent.get(`/assessments/${id}/audit?limit=2`);
    const next = /href="([^"]+before=[^"]+)"/.exec(first.text)?.[1];
    expect(next).toBeTruthy();
    expect((await viewer.agent.get(next!.replace(/&amp;/g, '&'))).status).toBe(200);
    const csv = await viewer.agent.get(
      `/assessments/${id}/audit.csv?person=${encodeURIComponent(api.user.email)}`,
    );
    expect(csv.status).toBe(200);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain(api.user.email);
    expect((await viewer.agent.get('/audit')).status).toBe(403);
    const admin = await staff(app, 'admin');
    const global = await admin.agent.get('/audit?action=token.create');
    expect(global.status).toBe(200);
    expect(global.text).toContain('data-action="token.create"');
  });

  it('copy for next year through the page keeps every topic field; the mapping is saved on the copy', async () => {
    const { id } = await closedAssessment(app, { topics: ['t1', 't2', 't3'] });
    const analyst = await staff(app, 'analyst');
    expect((await analyst.agent.get(`/assessments/${id}/copy`)).status).toBe(200);
    const r = await analyst.form(`/assessments/${id}/copy`, {
      name: 'Next year',
      reportingYear: '2026',
    });
    expect(r.status).toBe(303);
    const copyId = /\/assessments\/([a-f0-9]{24})/.exec(r.headers.location!)![1]!;
    const api = await apiClient(app, 'viewer');
    const [src, copy] = await Promise.all([
      api.get(`/api/v1/assessments/${id}`),
      api.get(`/api/v1/assessments/${copyId}`),
    ]);
    expect(copy.body).toMatchObject({
      status: 'draft',
      reportingYear: 2026,
      previousAssessmentId: id,
      signOff: null,
      topics: src.body.topics,
      groups: src.body.groups,
      iros: src.body.iros,
    });
    const bad = await analyst.form(`/assessments/${copyId}/topic-map`, { map: 't1 = nope' });
    expect(bad.status).toBe(422);
    const ok = await analyst.form(`/assessments/${copyId}/topic-map`, { map: 't1 = t1, t2' });
    expect(ok.status).toBe(303);
    expect((await api.get(`/api/v1/assessments/${copyId}`)).body.topicMap).toEqual([
      { code: 't1', previous: ['t1', 't2'] },
    ]);
  });
});
