import { expect } from 'chai';
import { ActivityMonitor, MAX_CLIENTS, MAX_ROUTE_KEYS, RouteLabels } from '../../../src/adapters/http/activity-monitor';
import { ManualClock } from '../../support/test-registry';

describe('ActivityMonitor', () => {
  it('when more distinct routes arrive in a minute than the cap, then the rest count as "(other)"', () => {
    const monitor = new ActivityMonitor(new ManualClock());
    for (let i = 0; i < MAX_ROUTE_KEYS + 500; i += 1) monitor.record(`GET /r${i}`, undefined, 'c', 200, 1);
    const summary = monitor.summary(1);
    expect(Object.keys(summary.perRoute)).to.have.length(MAX_ROUTE_KEYS + 1);
    expect(summary.perRoute['(other)']).to.equal(500);
    expect(summary.total).to.equal(MAX_ROUTE_KEYS + 500);
  });

  it('when more distinct clients arrive than the cap, then memory holds at most the cap and the count saturates', () => {
    const clock = new ManualClock();
    const monitor = new ActivityMonitor(clock);
    for (let i = 0; i < MAX_CLIENTS + 1000; i += 1) monitor.record('GET /x', undefined, `client-${i}`, 200, 1);
    expect(monitor.summary(1).uniqueClients).to.equal(MAX_CLIENTS);
    clock.advance(2 * 60_000);
    monitor.record('GET /x', undefined, 'late', 200, 1);
    expect(monitor.summary(1).uniqueClients).to.equal(1);
  });

  it('when an artifact type is not one the registry knows, then it is not counted', () => {
    const monitor = new ActivityMonitor(new ManualClock());
    monitor.record('GET /x', 'model', 'c', 200, 1);
    monitor.record('GET /x', 'x'.repeat(8192), 'c', 400, 1);
    expect(monitor.summary(1).perArtifactType).to.deep.equal({ model: 1 });
  });
});

describe('RouteLabels', () => {
  const labels = new RouteLabels(['/artifacts', '/artifact/{artifact_type}', '/artifact/byRegEx', '/artifacts/{artifact_type}/{id}', '/artifact/byName/{name}']);

  it('when a path matches a template, then the template names it; literal templates win over parameters', () => {
    expect(labels.label('GET', '/artifacts/model/abc')).to.equal('GET /artifacts/{artifact_type}/{id}');
    expect(labels.label('POST', '/artifact/byRegEx')).to.equal('POST /artifact/byRegEx');
    expect(labels.label('POST', '/artifact/model')).to.equal('POST /artifact/{artifact_type}');
  });

  it('when a path matches nothing, then it is "(unmatched)", and unusual methods are "OTHER"', () => {
    expect(labels.label('GET', `/${'a'.repeat(8000)}`)).to.equal('GET (unmatched)');
    expect(labels.label('PROPFIND', '/artifacts')).to.equal('OTHER /artifacts');
    expect(labels.label('GET', '/docs/swagger-ui.css')).to.equal('GET /docs');
  });
});
