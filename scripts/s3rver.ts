/**
 * A local S3 for running the registry in S3 mode without AWS: `npm run s3rver`, then in another
 * shell `npm run start:s3`. It is the server the tests use (test/support/s3rver.ts), with the same
 * conditional-write semantics as S3, on 127.0.0.1:4568, keeping its data in ./data/s3rver.
 * Options: --port <n> (default 4568), --dir <path>, --bucket <name> (default tmr-local).
 */
import { resolve } from 'node:path';
import { startLocalS3 } from '../test/support/s3rver';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const port = Number(option('port', '4568'));
  const directory = resolve(option('dir', 'data/s3rver'));
  const bucket = option('bucket', 'tmr-local');
  const s3 = await startLocalS3({ port, directory, bucket });
  process.stdout.write([
    `s3rver listening on ${s3.endpoint}, bucket "${bucket}", data in ${directory}`,
    'Start the registry against it with `npm run start:s3`, or with these variables and `npm start`:',
    ...Object.entries(s3.env(bucket)).map(([name, value]) => `  export ${name}=${value}`),
    '',
  ].join('\n'));
  const stop = (): void => {
    void s3.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
