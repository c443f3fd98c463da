import { expect } from 'chai';
import { parseServerTiming, percentile, RunRecorder, summarize, type RequestSample } from '../../../../src/domain/performance/run-statistics';
import { parseRunSettings, RUN_LIMITS } from '../../../../src/domain/performance/run-settings';
import { ErrorCode } from '../../../../src/domain/errors';

const sample = (fields: Partial<RequestSample>): RequestSample => ({
  startedAtMs: 0, latencyMs: 10, ttfbMs: 4, bytes: 1_000_000, status: 200, ok: true,
  serverTiming: { auth: 1, metadata: 0.5, storage: 0.25, audit: 0.25, total: 3 }, ...fields,
});

describe('performance run statistics', () => {
  it('when percentiles are taken, then they follow the nearest-rank rule', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).to.equal(50);
    expect(percentile(sorted, 99)).to.equal(99);
    expect(percentile(sorted, 100)).to.equal(100);
    expect(percentile(Float64Array.of(7), 99)).to.equal(7);
    expect(percentile(new Float64Array(0), 50)).to.equal(0);
  });

  it('when latencies are summarised, then mean, median, p99, max and min come from all of them in any order', () => {
    expect(summarize(Float64Array.of(5, 1, 3, 2, 4))).to.deep.equal({ mean: 3, median: 3, p99: 5, max: 5, min: 1 });
  });

  it('when successes and failures are recorded, then counts add up and only successes count for latency and throughput', () => {
    const recorder = new RunRecorder();
    recorder.record(sample({ startedAtMs: 0, latencyMs: 10 }));
    recorder.record(sample({ startedAtMs: 500, latencyMs: 30, ttfbMs: 6 }));
    recorder.record(sample({ startedAtMs: 1200, latencyMs: 2, ok: false, status: 503, bytes: 100, serverTiming: {} }));
    recorder.record(sample({ startedAtMs: 1500, latencyMs: 1, ok: false, status: 0, bytes: 0, failure: 'ECONNRESET: socket hang up', serverTiming: {} }));
    const result = recorder.result(2000);
    expect(result).to.include({ requests: 4, succeeded: 2, errors: 2, bytes: 2_000_100, durationSeconds: 2, requestsPerSecond: 1, megabytesPerSecond: 1 });
    expect(result.errorsByStatus).to.deep.equal({ 503: 1, 0: 1 });
    expect(result.failureReasons).to.deep.equal({ 'ECONNRESET: socket hang up': 1 });
    expect(result.latencyMs).to.deep.equal({ mean: 20, median: 10, p99: 30, max: 30, min: 10 });
    expect(result.timeline.map((point) => point.requests)).to.deep.equal([2, 2]);
    expect(result.timeline[0]?.meanLatencyMs).to.equal(20);
    expect(result.timeline[1]?.errors).to.equal(2);
  });

  it('when the breakdown is computed, then its parts add up to the mean latency', () => {
    const recorder = new RunRecorder();
    recorder.record(sample({ latencyMs: 10, ttfbMs: 4 }));
    recorder.record(sample({ latencyMs: 20, ttfbMs: 8, serverTiming: { auth: 3, metadata: 1, storage: 1, audit: 1, total: 7 } }));
    const { breakdownMs, latencyMs } = recorder.result(1000);
    expect(breakdownMs).to.deep.equal({ auth: 2, metadata: 0.75, storage: 0.625, audit: 0.625, serverOther: 1, queue: 1, transfer: 9 });
    expect(Object.values(breakdownMs).reduce((sum, value) => sum + value, 0)).to.be.closeTo(latencyMs.mean, 1e-9);
  });

  it('when a Server-Timing header is parsed, then each named duration is read and anything else ignored', () => {
    expect(parseServerTiming('auth;dur=0.41, metadata;desc="record";dur=1.5, cache, total;dur=3')).to.deep.equal({ auth: 0.41, metadata: 1.5, total: 3 });
    expect(parseServerTiming(undefined)).to.deep.equal({});
  });
});

describe('performance run settings', () => {
  it('when nothing but populate is given, then the track\'s defaults apply: 100 clients for 30 s, 500 models, 52 MB', () => {
    expect(parseRunSettings({ populate: true })).to.deep.equal({
      clients: 100, durationSeconds: 30, populate: { models: 500, packageBytes: 52_000_000 },
    });
  });

  it('when a request count is given, then the run has no duration of its own', () => {
    expect(parseRunSettings({ clients: 4, requests: 40, artifact_id: 'abc' })).to.deep.equal({ clients: 4, requests: 40, artifactId: 'abc' });
  });

  for (const [title, raw] of [
    ['more clients than allowed', { clients: RUN_LIMITS.maxClients + 1, populate: true }],
    ['a longer run than allowed', { duration_seconds: RUN_LIMITS.maxDurationSeconds + 1, populate: true }],
    ['both a duration and a count', { duration_seconds: 5, requests: 5, populate: true }],
    ['nothing to download', { clients: 5 }],
    ['a fractional client count', { clients: 1.5, populate: true }],
    ['a package too small', { populate: { package_bytes: 10 } }],
  ] as const) {
    it(`when the request asks for ${title}, then it is refused as invalid input`, () => {
      expect(() => parseRunSettings(raw)).to.throw().with.property('code', ErrorCode.InvalidInput);
    });
  }
});
