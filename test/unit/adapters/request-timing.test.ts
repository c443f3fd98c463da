import { expect } from 'chai';
import { RequestTiming } from '../../../src/adapters/http/request-timing';

describe('RequestTiming', () => {
  it('when stages are measured, then the header lists each once with its summed time, then the total', async () => {
    const timing = new RequestTiming();
    expect(timing.header(), 'nothing timed yet').to.equal(undefined);

    await timing.measure('auth', async () => undefined);
    await timing.measure('storage', () => new Promise((done) => setTimeout(done, 5)));
    await timing.measure('storage', async () => undefined);
    await timing.measure('not a token', async () => undefined);

    const header = timing.header() ?? '';
    expect(header).to.match(/^auth;dur=\d+\.\d{2}, storage;dur=\d+\.\d{2}, total;dur=\d+\.\d{2}$/);
    const storage = Number(/storage;dur=([\d.]+)/.exec(header)?.[1]);
    const total = Number(/total;dur=([\d.]+)/.exec(header)?.[1]);
    expect(storage).to.be.at.least(4);
    expect(total).to.be.at.least(storage);
  });

  it('when a measured stage fails, then its time still counts and the failure reaches the caller', async () => {
    const timing = new RequestTiming();
    await timing.measure('auth', () => Promise.reject(new Error('refused'))).then(
      () => expect.fail('should have failed'),
      (error: Error) => expect(error.message).to.equal('refused'),
    );
    expect(timing.header()).to.match(/^auth;dur=\d+\.\d{2}, total;dur=/);
  });
});
