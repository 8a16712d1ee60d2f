import { loggedInAgent, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { assessmentReads } from '../results/assessment-reads';
import { asBuffer } from './binary';
import { exportFixture } from './fixtures';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

describe('exports read their assessment once per request', () => {
  let id: string;
  let agent: Awaited<ReturnType<typeof loggedInAgent>>['agent'];
  beforeAll(async () => {
    ({ id } = await exportFixture(app));
    ({ agent } = await loggedInAgent(app, 'viewer'));
  });

  it.each(['exports', 'export.xlsx', 'export.csv', 'responses.csv'])(
    '/assessments/:id/%s',
    async (path) => {
      const reads = await assessmentReads(async () =>
        expect((await asBuffer(agent.get(`/assessments/${id}/${path}`))).status).toBe(200),
      );
      expect(reads).toBe(1);
    },
  );
});
