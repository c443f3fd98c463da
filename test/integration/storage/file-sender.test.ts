import { randomBytes } from 'node:crypto';
import { createReadStream, open as openDescriptor } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { sendingItself } from '../../../src/adapters/storage/local/file-sender';

/** A destination that acknowledges each write only after a delay, so sends overlap reads. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  /** Set if a chunk's bytes changed before its write was acknowledged (a buffer reused too soon). */
  overwritten = false;
  constructor(private readonly delayMs: number, private readonly failAfterBytes = Infinity) {
    super();
  }
  private received = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    // A copy: the sender reuses its buffers once a write is acknowledged.
    this.chunks.push(Buffer.from(chunk));
    this.received += chunk.length;
    if (this.received > this.failAfterBytes) {
      setTimeout(() => this.destroy(), 0);
      return;
    }
    const copy = this.chunks[this.chunks.length - 1];
    setTimeout(() => {
      if (copy !== undefined && !chunk.equals(copy)) this.overwritten = true;
      done();
    }, this.delayMs);
  }
}

describe('sending a stored file through reused buffers', () => {
  let dir: string;
  let path: string;
  // Random: bytes that repeat with some period could hide a chunk sent from the wrong buffer.
  const bytes = randomBytes(300 * 1024 + 7);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tmr-sender-'));
    path = join(dir, 'blob');
    await writeFile(path, bytes);
    await writeFile(join(dir, 'empty'), Buffer.alloc(0));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sender = async (file: string, range?: { start: number; end: number }) => {
    const fd = await promisify(openDescriptor)(file, 'r');
    const stream = createReadStream(file, { fd, autoClose: true, ...(range ?? {}) });
    return { content: sendingItself(stream, fd, range), stream };
  };

  it('when a whole file, ranges inside one chunk, across chunks and at the end, or an empty file are sent, then the destination gets exactly those bytes and the descriptor is closed', async () => {
    for (const range of [undefined, { start: 0, end: 0 }, { start: 10, end: 1000 }, { start: 65_000, end: 200_000 }, { start: bytes.length - 5, end: bytes.length - 1 }]) {
      const { content, stream } = await sender(path, range);
      const sink = new SlowSink(5);
      await content.sendTo(sink);
      const expected = range === undefined ? bytes : bytes.subarray(range.start, range.end + 1);
      expect(Buffer.concat(sink.chunks).equals(expected), JSON.stringify(range)).to.equal(true);
      expect(sink.writableFinished).to.equal(true);
      expect(sink.overwritten, 'a buffer was read into again before its write was acknowledged').to.equal(false);
      expect(stream.destroyed).to.equal(true);
    }
    const { content } = await sender(join(dir, 'empty'));
    const sink = new SlowSink(0);
    await content.sendTo(sink);
    expect(Buffer.concat(sink.chunks).length).to.equal(0);
  });

  it('when the destination closes part-way (a client hanging up), then sending fails as a premature close, stops reading and closes the descriptor', async () => {
    const { content, stream } = await sender(path);
    const sink = new SlowSink(1, 100_000);
    const failure = await content.sendTo(sink).then(() => undefined, (error: unknown) => error);

    expect(failure).to.be.instanceOf(Error);
    expect(['ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']).to.include((failure as { code?: string }).code);
    expect(stream.destroyed).to.equal(true);
    expect(Buffer.concat(sink.chunks).length).to.be.lessThan(bytes.length);
  });

  it('when the file is shorter than the range asked for, then sending fails rather than ending early as if complete', async () => {
    const { content } = await sender(path, { start: bytes.length - 10, end: bytes.length + 100 });
    const failure = await content.sendTo(new SlowSink(0)).then(() => undefined, (error: unknown) => error);
    expect(String(failure)).to.match(/ended \d+ bytes early/);
  });
});
