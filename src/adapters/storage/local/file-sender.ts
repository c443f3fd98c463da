import { fstat, read, type ReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { SendsItself } from '../../../ports/blob-store.port';

const CHUNK = 64 * 1024;
/** Buffers kept for the next downloads: 256 × 64 KiB = 16 MiB at most, enough for 128 at once. */
const POOLED = 256;
const pool: Buffer[] = [];
const take = (): Buffer => pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK);

const readAt = (fd: number, buffer: Buffer, length: number, position: number): Promise<number> =>
  new Promise((done, fail) => read(fd, buffer, 0, length, position, (error, bytes) => (error === null ? done(bytes) : fail(error))));

const sizeOf = (fd: number): Promise<number> =>
  new Promise((done, fail) => fstat(fd, (error, stats) => (error === null ? done(stats.size) : fail(error))));

/**
 * Gives a file's read stream a `sendTo` that reads through two buffers it reuses, each read again
 * only once the destination has written it out: a download allocates nothing per chunk, where a
 * stream hands out a new 64 KiB buffer for every read, and at a gigabyte a second across a hundred
 * clients those allocations and the garbage collections they trigger were a measured part of a
 * download's cost. The stream is never read when `sendTo` is used; it owns the descriptor and is
 * destroyed (closing it) when sending ends, however it ends.
 */
export function sendingItself(stream: ReadStream, fd: number, range: { start: number; end: number } | undefined): ReadStream & SendsItself {
  const sendTo = async (destination: Writable): Promise<void> => {
    // The stream is only a holder of the descriptor now: nobody reads it, so nobody else listens
    // for a failure to close it.
    stream.on('error', () => undefined);
    // Writes still to be acknowledged fail at once if the destination closes (a client hanging up).
    const pending = new Set<(error: Error) => void>();
    const onClose = (): void => {
      const gone = Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      for (const fail of pending) fail(gone);
    };
    destination.once('close', onClose);
    const write = (chunk: Buffer): Promise<void> => new Promise<void>((done, fail) => {
      const settle = (error?: Error | null): void => {
        if (!pending.delete(settle)) return;
        if (error === undefined || error === null) done();
        else fail(error);
      };
      pending.add(settle);
      if (destination.destroyed) settle(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
      else destination.write(chunk, settle);
    });
    const written: (Promise<void> | undefined)[] = [undefined, undefined];
    const buffers = [take(), take()];
    let settled = false;
    try {
      const start = range?.start ?? 0;
      const end = range?.end ?? (await sizeOf(fd)) - 1;
      let position = start;
      for (let turn = 0; position <= end; turn ^= 1) {
        // The buffer is free again once its previous chunk was written out.
        await written[turn];
        const buffer = buffers[turn] ?? take();
        const bytes = await readAt(fd, buffer, Math.min(buffer.length, end - position + 1), position);
        if (bytes === 0) throw new Error(`the stored file ended ${end - position + 1} bytes early`);
        position += bytes;
        written[turn] = write(buffer.subarray(0, bytes));
        // Awaited next time round; a failure meanwhile must not count as unhandled.
        written[turn]?.catch(() => undefined);
      }
      await Promise.all(written);
      settled = true;
      await new Promise<void>((done, fail) => {
        pending.add(fail);
        destination.end(() => {
          pending.delete(fail);
          done();
        });
      });
    } finally {
      destination.off('close', onClose);
      stream.destroy();
      // Only buffers no write can still be reading go back; after a failure they are left to the collector.
      if (settled) for (const buffer of buffers) if (pool.length < POOLED) pool.push(buffer);
    }
  };
  return Object.assign(stream, { sendTo });
}
