// Run in a fresh node process: loads a Lambda handler module and answers one API Gateway (v2) event,
// printing how long each step took. argv[2]: the module; argv[3]: the path to GET.
const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module under test is named at run time
const { handler } = require(process.argv[2]);
const loaded = performance.now();
const path = process.argv[3] ?? '/tracks';
const event = {
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'example.execute-api.us-east-1.amazonaws.com' },
  requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'cold-start-bench', stage: '$default' },
  isBase64Encoded: false,
};
const context = { awsRequestId: 'cold-start-bench', getRemainingTimeInMillis: () => 29_000 };
handler(event, context).then((result) => {
  const answered = performance.now();
  process.stdout.write(`${JSON.stringify({ status: result.statusCode, requireMs: loaded - started, firstInvokeMs: answered - loaded, bootMs: started })}\n`);
  process.exit(0);
}, (error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
