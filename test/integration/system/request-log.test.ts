import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { logRequest, requestLogger } from '../../../src/adapters/http/request-log';
import { createPino } from '../../../src/adapters/system/pino-logger';
import type { RecentLogs } from '../../../src/adapters/system/recent-logs';

/** Every line the logger wrote, parsed. */
class Lines {
  readonly written: Array<Record<string, unknown>> = [];
  write(chunk: string): void {
    this.written.push(JSON.parse(chunk) as Record<string, unknown>);
  }
}

describe('request log lines', () => {
  let server: Server;
  let lines: Lines;
  let url: string;

  beforeEach(async () => {
    lines = new Lines();
    const logger = createPino('silent', lines as unknown as RecentLogs);
    server = createServer((req, res) => {
      const locals: Record<string, unknown> = {};
      logRequest(logger, req, res, locals);
      // What a route says about the request goes through the redacting logger.
      requestLogger({ locals })?.warn({ token: 'bearer abc.def', secret: { password: 'hunter2' }, user: { password: 'hunter2' } }, 'about this request');
      logger.info({ password: 'hunter2' }, 'not about a request');
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end('{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('when a request is answered, then one line says what it was, and lines about it still hide secrets', async () => {
    const response = await fetch(`${url}/artifacts/model/42`, { headers: { 'X-Authorization': 'bearer abc.def', 'X-Request-Id': 'req-1' } });
    await response.text();
    await new Promise((done) => setImmediate(done));

    const byMessage = new Map(lines.written.map((line) => [line.msg, line]));
    const request = byMessage.get('request completed');
    expect(request).to.deep.include({ requestId: 'req-1', res: { statusCode: 200 }, service: 'tmr', level: 30 });
    expect(request?.req).to.deep.equal({ method: 'GET', url: '/artifacts/model/42', remoteAddress: '127.0.0.1' });
    expect(JSON.stringify(lines.written)).not.to.include('abc.def');
    expect(JSON.stringify(lines.written)).not.to.include('hunter2');
    expect(byMessage.get('about this request')).to.deep.include({ requestId: 'req-1', token: '[redacted]', secret: '[redacted]', user: { password: '[redacted]' } });
    expect(byMessage.get('not about a request')).to.deep.include({ password: '[redacted]' });
  });

  it('when a request fails on the server, then its line is an error', async () => {
    await (await fetch(`${url}/broken`)).text();
    await new Promise((done) => setImmediate(done));

    const request = lines.written.find((line) => line.msg === 'request errored');
    expect(request).to.deep.include({ level: 50, res: { statusCode: 500 } });
  });
});
