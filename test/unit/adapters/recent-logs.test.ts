import { expect } from 'chai';
import { RecentLogs } from '../../../src/adapters/system/recent-logs';

const line = (n: number): string => JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1, 0, 0, n), msg: `line ${n}`, requestId: `r${n}` });

describe('RecentLogs', () => {
  it('when more lines arrive than it holds, then the newest are kept, oldest first', () => {
    const logs = new RecentLogs(3);
    for (let n = 1; n <= 7; n += 1) logs.write(line(n));
    expect(logs.recent(10).map((l) => l.message)).to.deep.equal(['line 5', 'line 6', 'line 7']);
    expect(logs.recent(2).map((l) => l.requestId)).to.deep.equal(['r6', 'r7']);
    expect(logs.lastUpdated).to.equal(new Date(Date.UTC(2026, 0, 1, 0, 0, 7)).toISOString());
  });

  it('when a line is not JSON, then it is not shown and the last JSON line dates the buffer', () => {
    const logs = new RecentLogs(5);
    logs.write(line(1));
    logs.write('not json');
    expect(logs.recent(5).map((l) => l.message)).to.deep.equal(['line 1']);
    expect(logs.lastUpdated).to.equal(new Date(Date.UTC(2026, 0, 1, 0, 0, 1)).toISOString());
    expect(new RecentLogs().lastUpdated).to.equal(undefined);
  });
});
