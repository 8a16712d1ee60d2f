import { apiClient } from '../helpers/api';
import { loggedInAgent, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { assessmentReads } from './assessment-reads';
import { seedAssessment } from './results-fixtures';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

describe('results read their assessment once per request', () => {
  let id: string;
  let agent: Awaited<ReturnType<typeof loggedInAgent>>['agent'];
  beforeAll(async () => {
    ({ id } = await seedAssessment(app));
    ({ agent } = await loggedInAgent(app, 'viewer'));
  });

  it.each(['rankings', 'matrix', 'matrix?group=A', 'matrix.svg'])(
    '/assessments/:id/%s',
    async (page) => {
      const reads = await assessmentReads(async () =>
        expect((await agent.get(`/assessments/${id}/${page}`)).status).toBe(200),
      );
      expect(reads).toBe(1);
    },
  );

  it('the results API', async () => {
    const api = await apiClient(app, 'viewer');
    const reads = await assessmentReads(async () =>
      expect((await api.get(`/api/v1/assessments/${id}/results?group=A`)).status).toBe(200),
    );
    expect(reads).toBe(1);
  });
});
