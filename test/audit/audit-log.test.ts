import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { readScope } from '../../src/audit/audit.reader';
import { recordAudit } from '../../src/audit/audit.writer';
import { armFault, disarmFaults } from '../../src/db/faults';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();
const app = makeApp();
afterEach(() => disarmFaults());

const doc = (id: string) =>
  mongoose.connection.collection('assessments').findOne({ _id: id as never });

async function draft() {
  const api = await apiClient(app, 'analyst');
  const id = (await api.post('/api/v1/assessments', { name: 'Log', reportingYear: 2025 })).body
    .id as string;
  return { api, id };
}

describe('a change whose entry cannot be written fails', () => {
  it('an assessment edit is undone and answered 503 audit_unavailable', async () => {
    const { api, id } = await draft();
    const before = await doc(id);
    armFault('audit.write');
    const r = await api.patch(`/api/v1/assessments/${id}`, { name: 'Changed' });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('audit_unavailable');
    const after = await doc(id);
    expect(after?.name).toBe(before?.name);
    expect(after?.settings).toEqual(before?.settings);
    // Still editable afterwards, and then logged.
    expect((await api.patch(`/api/v1/assessments/${id}`, { name: 'Changed' })).status).toBe(200);
    expect((await readScope(id, { limit: 1 })).entries[0]).toMatchObject({
      action: 'assessment.update',
      before: { name: 'Log' },
      after: { name: 'Changed' },
    });
  });

  it('a new assessment, a new user and links are not kept without their entry', async () => {
    const api = await apiClient(app, 'admin');
    const count = () => mongoose.connection.collection('assessments').countDocuments({});
    const n = await count();
    armFault('audit.write');
    expect((await api.post('/api/v1/assessments', { name: 'X', reportingYear: 2025 })).status).toBe(
      503,
    );
    expect(await count()).toBe(n);

    armFault('audit.write');
    const { createUser } = await import('../../src/auth/user.service');
    await expect(
      createUser(api.user, {
        email: 'ghost@example.com',
        password: 'a long enough password',
        role: 'viewer',
      }),
    ).rejects.toMatchObject({ code: 'audit_unavailable' });
    expect(
      await mongoose.connection.collection('users').findOne({ email: 'ghost@example.com' }),
    ).toBeNull();

    const { id } = await draft();
    await api.post(`/api/v1/assessments/${id}/groups`, {
      code: 'g',
      name: { en: 'g' },
      kind: 'internal',
      weight: 1,
      instruments: ['impact'],
    });
    armFault('audit.write');
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/invitations`, {
          group: 'g',
          kind: 'personal',
          count: 3,
        })
      ).status,
    ).toBe(503);
    expect(await mongoose.connection.collection('links').countDocuments({ assessmentId: id })).toBe(
      0,
    );
  });
});

describe('reading the log', () => {
  it('newest first with a cursor, filtered by action and person', async () => {
    const { api, id } = await draft();
    const other = await apiClient(app, 'analyst');
    for (let i = 0; i < 5; i++) {
      const who = i % 2 ? other : api;
      expect((await who.patch(`/api/v1/assessments/${id}`, { name: `Name ${i}` })).status).toBe(
        200,
      );
    }
    const get = (q: string, as = api) => as.get(`/api/v1/assessments/${id}/audit?${q}`);
    const p1 = (await get('limit=2')).body;
    expect(p1.entries.map((e: { after: { name: string } }) => e.after.name)).toEqual([
      'Name 4',
      'Name 3',
    ]);
    expect(p1.next).toEqual(expect.any(String));
    const p2 = (await get(`limit=2&before=${p1.next}`)).body;
    expect(p2.entries.map((e: { after: { name: string } }) => e.after.name)).toEqual([
      'Name 2',
      'Name 1',
    ]);
    const p3 = (await get(`limit=2&before=${p2.next}`)).body;
    expect(p3.entries.map((e: { action: string }) => e.action)).toEqual([
      'assessment.update',
      'assessment.create',
    ]);
    expect(p3.next).toBeNull();

    const byOther = (await get(`person=${encodeURIComponent(other.user.email)}`)).body;
    expect(byOther.entries.map((e: { after: { name: string } }) => e.after.name)).toEqual([
      'Name 3',
      'Name 1',
    ]);
    const creates = (await get('action=assessment.create')).body;
    expect(creates.entries).toHaveLength(1);
    const family = (await get('action=assessment')).body;
    expect(family.entries).toHaveLength(6);
    expect((await get('limit=0')).status).toBe(422);

    const viewer = await apiClient(app, 'viewer');
    expect((await get('limit=1', viewer)).status).toBe(200);
    expect((await viewer.get('/api/v1/audit')).status).toBe(403);
    expect((await api.get('/api/v1/assessments/000000000000000000000000/audit')).status).toBe(404);
  });

  it('the global log merges every scope newest first, users and logins too (admins)', async () => {
    const admin = await apiClient(app, 'admin');
    const { api, id } = await draft();
    await api.patch(`/api/v1/assessments/${id}`, { name: 'G1' });
    const all: { action: string; at: string }[] = [];
    let before = '';
    for (let i = 0; i < 100; i++) {
      const r = await admin.get(`/api/v1/audit?limit=3${before ? `&before=${before}` : ''}`);
      expect(r.status).toBe(200);
      all.push(...r.body.entries);
      if (!r.body.next) break;
      before = r.body.next;
    }
    const ats = all.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect(all.some((e) => e.action === 'user.create')).toBe(true);
    expect(all.some((e) => e.action === 'token.create')).toBe(true);
    expect(all.some((e) => e.action === 'assessment.update')).toBe(true);
    expect(new Set(all.map((e) => JSON.stringify(e))).size).toBe(all.length);
  });

  it('CSV download: UTF-8 with BOM, formula-safe', async () => {
    const { api, id } = await draft();
    await api.patch(`/api/v1/assessments/${id}`, { name: '=HYPERLINK("x")' });
    const r = await api.get(`/api/v1/assessments/${id}/audit.csv`).buffer(true);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const text = r.body instanceof Buffer ? r.body.toString('utf8') : r.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('id,at,actor,action,assessmentId,target,before,after');
    expect(text).not.toMatch(/,=HYPERLINK/);
    expect(text).toContain('assessment.update');
  });

  it('entries keep any field name as it is (prototype keys, dots)', async () => {
    await recordAudit({
      actor: { cli: true },
      action: 'assessment.update',
      assessmentId: 'scopeproto',
      before: JSON.parse('{"__proto__": 1, "a.b": 2}'),
    });
    const e = (await readScope('scopeproto', { limit: 1 })).entries[0]!;
    expect(Object.keys(e.before as object)).toEqual(['__proto__', 'a.b']);
  });
});

describe('nothing edits or deletes an entry', () => {
  it('no code writes to the audit collections but the one writer, and it only inserts', () => {
    const root = path.join(__dirname, '../../src');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of fs.readdirSync(d, { withFileTypes: true }))
        if (f.isDirectory()) walk(path.join(d, f.name));
        else if (f.name.endsWith('.ts')) files.push(path.join(d, f.name));
    };
    walk(root);
    const writes =
      /\b(update\w*|replace\w*|delete\w*|remove\w*|findOneAndDelete|findOneAndReplace|bulkWrite|drop\w*)\s*\(/;
    const offenders: string[] = [];
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8');
      const rel = path.relative(root, f);
      const usesModel = /\bAuditEntry\b|['"]auditlog['"]/.test(src);
      if (!usesModel) continue;
      if (!['audit/audit.model.ts', 'audit/audit.writer.ts', 'audit/audit.reader.ts'].includes(rel))
        offenders.push(`${rel} uses the audit collection`);
      for (const line of src.split('\n'))
        if (/AuditEntry\s*\.\s*\w+/.test(line) && writes.test(line))
          offenders.push(`${rel}: ${line.trim()}`);
    }
    // The writer touches entries with create() only; the counter (AuditSeq) is the one $inc.
    const writer = fs.readFileSync(path.join(root, 'audit/audit.writer.ts'), 'utf8');
    expect(writer.match(/AuditEntry\.\w+/g)).toEqual(['AuditEntry.create']);
    expect(offenders).toEqual([]);
  });

  it('no route answers a write method on the log', async () => {
    const admin = await apiClient(app, 'admin');
    const { id } = await draft();
    const e = (await admin.get(`/api/v1/assessments/${id}/audit`)).body.entries[0];
    for (const method of ['put', 'patch', 'delete', 'post'] as const) {
      const auth = { Authorization: `Bearer ${admin.token}` };
      for (const p of [
        `/api/v1/audit/${e.id}`,
        `/api/v1/assessments/${id}/audit/${e.id}`,
        `/api/v1/assessments/${id}/audit`,
      ])
        expect((await request(app)[method](p).set(auth).send({})).status).toBe(404);
    }
    expect((await admin.get(`/api/v1/assessments/${id}/audit`)).body.entries[0]).toEqual(e);
  });
});
