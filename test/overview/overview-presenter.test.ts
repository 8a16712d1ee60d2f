import {
  dataUpdatedAt,
  transitionKey,
  transitionRows,
} from '../../src/overview/overview.presenter';

describe('overview presenter', () => {
  it('shows when the data was last updated in UTC to the minute, and nothing before the first response', () => {
    expect(dataUpdatedAt(new Date('2025-03-01T09:30:59.999Z'))).toBe('2025-03-01 09:30');
    expect(dataUpdatedAt(new Date(0))).toBeNull();
  });

  it.each([
    ['draft', [{ to: 'open', key: 'open' }]],
    ['open', [{ to: 'closed', key: 'close' }]],
    ['closed', [{ to: 'open', key: 'reopen' }]],
    ['approved', []],
  ] as const)('offers the status changes from %s with their wording', (status, rows) => {
    expect(transitionRows(status)).toEqual(rows);
  });

  it('words a change to open by where it comes from', () => {
    expect(transitionKey('draft', 'open')).toBe('open');
    expect(transitionKey('closed', 'open')).toBe('reopen');
    expect(transitionKey('open', 'closed')).toBe('close');
  });
});
