// The baseline every ratio is measured against: plain node:http with no framework, no auth and no
// storage lookups. BARE_FILE: stream that file with fs.createReadStream per request. BARE_BODY: answer
// the bytes of that file as JSON from memory. BARE_SPIN_US: spend that much CPU before each answer,
// to see the latency any server that busy has on this machine.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.env.BARE_FILE;
const body = process.env.BARE_BODY === undefined ? undefined : readFileSync(process.env.BARE_BODY);
const size = file === undefined ? 0 : statSync(file).size;
const spin = BigInt(Math.round(Number(process.env.BARE_SPIN_US ?? 0) * 1000));

createServer((req, res) => {
  if (spin > 0n) {
    const until = process.hrtime.bigint() + spin;
    while (process.hrtime.bigint() < until);
  }
  if (body !== undefined) {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': size });
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
