import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb } from '../../../web/build.mjs';

describe('web UI build', () => {
  let outdir: string;

  before(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'tmr-web-'));
  });
  after(() => rm(outdir, { recursive: true, force: true }));

  it('when the UI is built as npm start and the deploy build it, then no source map is written or referenced', async () => {
    const { files } = await buildWeb({ outdir });
    const written = await readdir(outdir);
    expect(written.filter((file) => file.endsWith('.map'))).to.deep.equal([]);
    expect(files.filter((file) => file.endsWith('.map'))).to.deep.equal([]);
    for (const file of written.filter((name) => /\.(js|css)$/.test(name))) {
      expect(await readFile(join(outdir, file), 'utf8'), file).not.to.contain('sourceMappingURL');
    }
  });

  it('when source maps are asked for (debugging), then they are written', async () => {
    await buildWeb({ outdir, sourcemap: true });
    expect((await readdir(outdir)).some((file) => file.endsWith('.js.map'))).to.equal(true);
  });
});
