import { expect } from 'chai';
import { connect } from 'node:net';
import { tinyPackage } from '../support/hf-packages';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}

/**
 * Sends bytes exactly as written (fetch refuses some of the headers these tests need) and returns
 * the whole response; `Connection: close` in the request makes the server end it.
 */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => done(received));
    socket.on('error', fail);
  });
}

const headOf = (response: string): string => response.split('\r\n\r\n')[0] ?? '';
const headerOf = (head: string, name: string): string | undefined =>
  head.split('\r\n').find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim();

describe('API: security headers', () => {
  let registry: TestRegistry;

  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.close());

  const pages: [string, string, string | null][] = [
    ['a public JSON answer', '/health', null],
    ['an authenticated JSON answer', '/tracks', null],
    ['an error', '/artifacts/model/01JD0000000000000000000001', 'admin'],
    ['an unknown path', '/no-such-page', null],
    ['the OpenAPI document', '/openapi.yaml', null],
    ['the interactive docs', '/docs/', null],
  ];
  for (const [label, path, auth] of pages) {
    it(`when ${label} is served, then it forbids framing and sniffing and sends no referrer`, async () => {
      const response = await registry.request('GET', path, auth === null ? { token: null } : {});
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).to.contain("frame-ancestors 'none'");
      expect(csp).to.contain("object-src 'none'");
      expect(csp).not.to.match(/script-src[^;]*unsafe/);
      expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(response.headers.get('referrer-policy')).to.equal('no-referrer');
      expect(response.headers.get('x-frame-options')).to.equal('DENY');
    });
  }

  it('when the API answers, then its policy allows no inline styles; only the docs page gets them (Swagger UI needs them)', async () => {
    const api = await registry.request('GET', '/health', { token: null });
    expect(api.headers.get('content-security-policy')).to.match(/style-src 'self';/);
    const docs = await registry.request('GET', '/docs/', { token: null });
    expect(docs.headers.get('content-security-policy')).to.match(/style-src 'self' 'unsafe-inline'/);
  });
});

describe('API: request ids chosen by clients', () => {
  let registry: TestRegistry;

  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.close());

  const idOf = async (value: string): Promise<string | null> =>
    (await registry.request('GET', '/health', { token: null, headers: { 'X-Request-Id': value } })).headers.get('x-request-id');

  it('when a client sends a short plain id, then it is kept, so its logs and ours can be joined', async () => {
    expect(await idOf('client-req_42.a:b')).to.equal('client-req_42.a:b');
  });

  const refused: [string, string][] = [
    ['longer than 128 characters', 'a'.repeat(129)],
    ['with spaces', 'two words'],
    ['with quotes and angle brackets', '"><script>'],
    ['with non-ASCII letters', 'identité'],
    ['with JSON', '{"level":"fatal"}'],
  ];
  for (const [label, value] of refused) {
    it(`when it is ${label}, then the registry uses an id of its own`, async () => {
      const id = await idOf(value);
      expect(id).to.match(/^[0-9a-f-]{36}$/);
    });
  }

  it('when it carries control characters or is sent twice, then the registry uses an id of its own (or the request is refused)', async () => {
    const control = await rawRequest(registry.url, 'GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\x1b[31mdef\r\nConnection: close\r\n\r\n');
    expect(control).to.match(/^HTTP\/1\.1 400|X-Request-Id: [0-9a-f-]{36}/i);
    const twice = await rawRequest(registry.url, 'GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\nX-Request-Id: two\r\nConnection: close\r\n\r\n');
    expect(headerOf(headOf(twice), 'X-Request-Id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('when an error is answered, then its body carries the same id as the header', async () => {
    const response = await registry.request<{ request_id: string }>('GET', '/artifacts/model/01JD0000000000000000000001', { headers: { 'X-Request-Id': 'x'.repeat(500) } });
    expect(response.body.request_id).to.equal(response.headers.get('x-request-id'));
    expect(response.body.request_id).to.have.length(36);
  });
});

describe('API: links use the public URL, never the Host header', () => {
  it('when TMR_PUBLIC_URL is set, then download_url and log links are built on it whatever Host says', async () => {
    const registry = await startTestRegistry({ env: { TMR_PUBLIC_URL: 'https://registry.example.com/tmr/' } });
    try {
      const created = await registry.request<Artifact>('POST', '/artifact/model?name=linked', {
        body: await tinyPackage('linked'), contentType: 'application/zip', headers: { 'X-Forwarded-Host': 'evil.example' },
      });
      expect(created.body.data.download_url).to.equal(`https://registry.example.com/tmr/artifacts/model/${created.body.metadata.id}/download`);
      const token = await registry.token();
      const raw = await rawRequest(registry.url, `GET /artifacts/model/${created.body.metadata.id} HTTP/1.1\r\nHost: evil.example\r\nX-Authorization: ${token}\r\nConnection: close\r\n\r\n`);
      expect(raw).to.match(/^HTTP\/1\.1 200/);
      expect(raw).to.contain(`"download_url":"https://registry.example.com/tmr/artifacts/model/${created.body.metadata.id}/download"`);
      const components = await registry.request<{ components: { logs?: { url: string }[] }[] }>('GET', '/health/components', { token: null, headers: { 'X-Forwarded-Proto': 'gopher' } });
      expect(components.body.components[0]?.logs?.[0]?.url).to.equal('https://registry.example.com/tmr/logs/recent');
    } finally {
      await registry.close();
    }
  });

  it('when TMR_PUBLIC_URL is not set, then links use the listening address even if Host names another', async () => {
    const registry = await startTestRegistry();
    try {
      const created = await registry.request<Artifact>('POST', '/artifact/model?name=linked', { body: await tinyPackage('linked'), contentType: 'application/zip' });
      const token = await registry.token();
      const raw = await rawRequest(registry.url, `GET /artifacts/model/${created.body.metadata.id} HTTP/1.1\r\nHost: evil.example:666\r\nX-Authorization: ${token}\r\nConnection: close\r\n\r\n`);
      expect(raw).not.to.contain('evil.example');
      expect(raw).to.contain(`${registry.url}/artifacts/model/${created.body.metadata.id}/download`);
    } finally {
      await registry.close();
    }
  });
});

describe('API: interactive docs work from any address and have an Authorize button', () => {
  let registry: TestRegistry;

  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.close());

  it('when the document is read, then its server is relative and X-Authorization is an apiKey security scheme', async () => {
    const document = (await registry.request<{ servers: { url: string }[]; security: unknown; components: { securitySchemes: Record<string, unknown> } }>('GET', '/openapi.json', { token: null })).body;
    expect(document.servers.map((server) => server.url)).to.deep.equal(['/']);
    expect(document.components.securitySchemes.XAuthorization).to.deep.include({ type: 'apiKey', in: 'header', name: 'X-Authorization' });
    expect(document.security).to.deep.equal([{ XAuthorization: [] }]);
  });

  it('when the docs page loads its document, then operations ask for the token through the scheme, not as a parameter of each', async () => {
    const init = (await registry.request('GET', '/docs/swagger-ui-init.js', { token: null })).raw.toString();
    expect(init).to.contain('"securitySchemes"');
    expect(init).not.to.contain('"$ref": "#/components/parameters/XAuthorization"');
    expect(init).to.contain('"url": "/"');
  });
});
