import { expect } from 'chai';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { openApiPath, readOpenApiDocument } from '../../../src/adapters/http/openapi-document';
import { openApiValidator } from '../../../src/adapters/http/openapi-validator';

describe('OpenAPI document loading', () => {
  const yamlPath = openApiPath();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tmr-openapi-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** What `npm run build` writes beside the YAML (scripts/write-openapi-document.mjs). */
  async function writeParsedCopy(yaml: string, edit: (document: Record<string, unknown>) => void = () => {}): Promise<void> {
    const script = (await import(join(yamlPath, '..', '..', 'scripts', 'write-openapi-document.mjs'))) as { parsedDocument(): string };
    const copy = JSON.parse(script.parsedDocument()) as { source_sha256: string; document: Record<string, unknown> };
    expect(copy.document).to.deep.equal(parse(readFileSync(yamlPath, 'utf8')));
    edit(copy.document);
    writeFileSync(join(dir, 'openapi.yaml'), yaml);
    writeFileSync(join(dir, 'openapi.parsed.json'), JSON.stringify(copy));
  }

  it('when a parsed copy names the YAML beside it, then the copy is read instead of parsing the YAML', async () => {
    await writeParsedCopy(readFileSync(yamlPath, 'utf8'), (document) => {
      document['x-from-copy'] = true;
    });
    expect(readOpenApiDocument(join(dir, 'openapi.yaml'))['x-from-copy']).to.equal(true);
  });

  it('when the YAML changed after the parsed copy was written, then the YAML is parsed and the copy ignored', async () => {
    await writeParsedCopy(`${readFileSync(yamlPath, 'utf8')}\nx-edited: true\n`, (document) => {
      document['x-from-copy'] = true;
    });
    const document = readOpenApiDocument(join(dir, 'openapi.yaml'));
    expect(document['x-edited']).to.equal(true);
    expect(document['x-from-copy']).to.equal(undefined);
  });

  it('when there is no parsed copy, then the YAML is parsed', () => {
    writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n');
    expect(readOpenApiDocument(join(dir, 'openapi.yaml'))).to.deep.equal({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} });
  });
});

describe('OpenAPI validator set-up', () => {
  it('when a document is invalid and the validator is asked to check it, then it still refuses it after our start-up shortcuts', async () => {
    openApiValidator({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }, { validateRequests: true });
    const app = express();
    app.use(OpenApiValidator.middleware({ apiSpec: { openapi: '3.0.3', info: { title: 't' }, paths: { '/x': { get: { responses: 'nope' } } } } as never, validateApiSpec: true }));
    app.get('/x', (_req, res) => res.json({}));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(500).json({ message: error.message }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
      expect(response.status).to.equal(500);
      expect(((await response.json()) as { message: string }).message).to.match(/apiDoc was invalid/);
    } finally {
      server.close();
    }
  });
});
