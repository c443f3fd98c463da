import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { NODE_FLAGS } from '../../scripts/bench/harness';

describe('how the registry is started', () => {
  it('when the benchmarks start the registry, then they give Node the flags npm start gives it', () => {
    const scripts = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

    expect(scripts.start).to.contain(`node ${NODE_FLAGS.join(' ')} dist/src/adapters/http/server.js`);
  });
});
