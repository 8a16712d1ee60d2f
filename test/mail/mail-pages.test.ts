import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { buildProgram, type WithDb } from '../../src/cli/index';
import { createThroughPage, openThroughPage, staff, text } from '../assessments/pages.helpers';
import { drainAll, links, messages, startSmtp, workerFor } from './smtp.helpers';

// The e-mail parts of the staff pages: the send forms, status per link and counts per group, the
// settings page with its templates and preview, the outbox, and deleting invitees' addresses.

useTestDb();
const app = makeApp();

async function withInvitees() {
  const s = await staff(app, 'admin');
  const id = await createThroughPage(s, 'xiaomi-2024', 'Page DMA');
  await openThroughPage(s, id);
  const csv = 'name,email,language\nAnn,ann@example.com,en\nBo,bo@example.com,zh-HK\n';
  const up = await s.agent
    .post(`/assessments/${id}/invitations/upload`)
    .field('_csrf', s.csrf)
    .field('group', 'suppliers')
    .attach('file', Buffer.from(csv), { filename: 'invitees.csv', contentType: 'text/csv' });
  expect(up.status).toBe(303);
  return { s, id };
}

describe('e-mail on the invitations page', () => {
  it('queues invitations from the page, shows the status per link and counts per group', async () => {
    const { s, id } = await withInvitees();
    const stored = await links().find({ assessmentId: id }).toArray();
    expect(stored.map((l) => l.language).sort()).toEqual(['en', 'zh-Hant']);
    const page = await s.agent.get(`/assessments/${id}/invitations?group=suppliers`);
    expect(page.text).toContain('id="mail"');
    expect(page.text).toContain('No mail server is configured'); // no SMTP_URL in this app
    const sent = await s.form(`/assessments/${id}/invitations/send`, {
      group: '',
      back: 'suppliers',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(
      `/assessments/${id}/invitations?group=suppliers&done=mailQueued&n=2#mail`,
    );
    const after = await s.agent.get(sent.headers.location!);
    expect(text(after.text)).toContain('2 invitations queued.');
    const row = new RegExp('<tr data-group="suppliers">([\\s\\S]*?)</tr>').exec(after.text)?.[1];
    expect(row).toMatch(/data-col="mail">0 \/ 2 \/ 0</);
    expect(after.text.match(/Invitation: <strong>Queued<\/strong>/g)).toHaveLength(2);
    // The forms stay on the chosen group.
    expect(after.text).toMatch(/id="send-group"[\s\S]*?<option value="suppliers" selected>/);

    const outbox = await s.agent.get('/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('ann@example.com');
    expect(outbox.text).toContain('Page DMA');

    // Once a server is configured the queue goes out.
    const smtp = await startSmtp();
    const worker = workerFor(smtp.url);
    try {
      await drainAll(worker);
    } finally {
      await worker.stop();
      await smtp.close();
    }
    expect(smtp.received.map((m) => m.to).sort()).toEqual(['ann@example.com', 'bo@example.com']);
    const bo = smtp.received.find((m) => m.to === 'bo@example.com')!;
    expect(bo.text).toContain('Bo，您好');
    const done = await s.agent.get(`/assessments/${id}/invitations?group=suppliers`);
    expect(done.text.match(/Invitation: <strong>Sent<\/strong>/g)).toHaveLength(2);
  });

  it('sends to the selected people only, and reminds them', async () => {
    const { s, id } = await withInvitees();
    const page = await s.agent.get(`/assessments/${id}/invitations?group=suppliers`);
    expect(page.text).toContain('id="send-selected"');
    const ann = (await links().findOne({ assessmentId: id, email: 'ann@example.com' }))!;
    const sent = await s.form(`/assessments/${id}/invitations/send`, {
      linkIds: [String(ann._id)],
      back: 'suppliers',
    });
    expect(sent.headers.location).toContain('done=mailQueued&n=1');
    const queued = await messages().find({ assessmentId: id }).toArray();
    expect(queued.map((m) => m.to)).toEqual(['ann@example.com']);
    const reminded = await s.form(`/assessments/${id}/invitations/remind`, {
      linkIds: [String(ann._id)],
      minHours: '0',
      back: 'suppliers',
    });
    expect(reminded.headers.location).toContain('done=remindersQueued&n=1');
    expect(await messages().countDocuments({ assessmentId: id, to: 'bo@example.com' })).toBe(0);
  });

  it('speaks the staff language on the e-mail parts of the pages', async () => {
    const { s, id } = await withInvitees();
    const hant = await s.agent.get(`/assessments/${id}/invitations?group=suppliers&lang=zh-Hant`);
    expect(hant.text).toContain('發送邀請');
    expect(hant.text).toContain('所有組別');
    expect(hant.text).not.toContain('Queue invitations');
    const hans = await s.agent.get(`/assessments/${id}/invitations/email?lang=zh-Hans`);
    expect(hans.text).toContain('邮件设置');
    expect(hans.text).toContain('{{optOutLink}}'); // placeholders print as written
    expect(hans.text).not.toContain('Scheduled reminders');
  });

  it('shows copy buttons, and a QR code (SVG, rendered on the server) for open links', async () => {
    const s = await staff(app, 'analyst');
    const id = await createThroughPage(s, 'xiaomi-2024');
    await s.form(`/assessments/${id}/invitations`, {
      kind: 'open',
      group: 'users',
      label: 'Poster',
    });
    const page = await s.agent.get(`/assessments/${id}/invitations?group=users`);
    expect(page.text).toContain('data-copy="link-0"');
    expect(page.text).toMatch(
      /<details class="qr">[\s\S]*?<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(page.text).toContain('download="qr-users-1.svg"');
    expect(page.text).toContain('/static/js/invitations.js');
  });

  it('edits the templates with a preview, refusing unknown placeholders and a body without links', async () => {
    const s = await staff(app, 'analyst');
    const id = await createThroughPage(s, 'xiaomi-2024', 'Tpl DMA');
    const page = await s.agent.get(`/assessments/${id}/invitations/email`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-preview="invitation-zh-Hant"');
    expect(page.text).toContain('Tpl DMA：誠邀您');
    const bad = await s.form(`/assessments/${id}/invitations/email`, {
      'templates.invitation.en.subject': 'Hi {{nmae}}',
      'templates.invitation.en.body': 'No links here',
      'schedule.everyDays': '7',
      'schedule.maxReminders': '2',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Unknown placeholder');
    expect(bad.text).toContain('Hi {{nmae}}'); // the input is kept
    const ok = await s.form(`/assessments/${id}/invitations/email`, {
      organisation: 'Acme Holdings',
      deadline: '2026-03-31',
      replyTo: 'esg@acme.example',
      'schedule.enabled': 'on',
      'schedule.everyDays': '5',
      'schedule.maxReminders': '3',
      'templates.invitation.en.subject': '{{organisation}} asks {{name}}',
      'templates.invitation.en.body':
        'Please answer by {{deadline}}: {{link}}\nStop: {{optOutLink}}',
    });
    expect(ok.status).toBe(303);
    const saved = await s.agent.get(ok.headers.location!);
    expect(text(saved.text)).toContain('E-mail settings saved.');
    expect(saved.text).toContain('Acme Holdings asks Alex Chan');
    expect(saved.text).toContain('Please answer by March 31, 2026:');
    const viewer = await staff(app, 'viewer');
    const refused = await viewer.form(`/assessments/${id}/invitations/email`, {});
    expect(refused.status).toBe(403);
  });

  it('deletes the invitees’ names and addresses of a closed assessment only, keeping the counts', async () => {
    const { s, id } = await withInvitees();
    await s.form(`/assessments/${id}/invitations/send`, { back: 'suppliers' });
    const early = await s.form(`/assessments/${id}/invitations/delete-invitees`, {
      back: 'suppliers',
    });
    expect(early.status).toBe(409);
    expect(await links().countDocuments({ assessmentId: id, email: { $exists: true } })).toBe(2);
    const before = text((await s.agent.get(`/assessments/${id}/invitations`)).text);
    await s.form(`/assessments/${id}/status`, { status: 'closed' });
    const page = await s.agent.get(`/assessments/${id}/invitations?group=suppliers`);
    expect(page.text).toContain('action="/assessments/' + id + '/invitations/delete-invitees"');
    const res = await s.form(`/assessments/${id}/invitations/delete-invitees`, {
      back: 'suppliers',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('done=inviteesDeleted&n=2');
    expect(await links().countDocuments({ assessmentId: id, email: { $exists: true } })).toBe(0);
    expect(await links().countDocuments({ assessmentId: id, name: { $exists: true } })).toBe(0);
    expect(await links().countDocuments({ assessmentId: id })).toBe(2);
    const msgs = await messages().find({ assessmentId: id }).toArray();
    expect(msgs.every((m) => m.to === '' && m.text === '')).toBe(true);
    const after = text((await s.agent.get(`/assessments/${id}/invitations`)).text);
    const invited = (t: string) => /Suppliers \(suppliers\) (\d+)/.exec(t)?.[1];
    expect(invited(after)).toBe(invited(before));
  });

  it('deletes them from the command line too (invitees:delete --assessment ID)', async () => {
    const { s, id } = await withInvitees();
    await s.form(`/assessments/${id}/status`, { status: 'closed' });
    let out = '';
    const withDb: WithDb = (fn) => fn();
    const program = buildProgram(withDb, {
      out: (x: string) => ((out += x), true),
      err: () => true,
    });
    await program.parseAsync(['invitees:delete', '--assessment', id], { from: 'user' });
    expect(out).toContain('deleted the names and addresses of 2 invitees');
    expect(await links().countDocuments({ assessmentId: id, email: { $exists: true } })).toBe(0);
  });
});
