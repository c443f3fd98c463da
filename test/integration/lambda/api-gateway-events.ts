import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';

/**
 * Events shaped like the ones API Gateway records (REST/HTTP API payload 1.0, HTTP API payload 2.0),
 * with the fields and header casing the gateway really sends, so the handler meets what it will meet.
 */
export interface HttpCall {
  readonly method: string;
  /** Path and query, e.g. `/artifact/model?name=bert&version=1.0.0`. */
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  readonly requestId: string;
}

const ACCOUNT = '123456789012';
const API_ID = 'k3x9q2abcd';
export const DOMAIN = `${API_ID}.execute-api.us-east-1.amazonaws.com`;
const SOURCE_IP = '198.51.100.23';
const USER_AGENT = 'tmr-client/1.0';
const EPOCH = Date.UTC(2026, 10, 27, 10, 0, 0);

/** API Gateway base64-encodes every body that is not text. */
function encodeBody(body: Buffer | string | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (body === undefined) return { body: null, isBase64Encoded: false };
  if (typeof body === 'string') return { body, isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function split(url: string): { path: string; query: URLSearchParams; raw: string } {
  const [path = '/', raw = ''] = url.split('?', 2);
  return { path, query: new URLSearchParams(raw), raw };
}

export function v1Event(call: HttpCall): APIGatewayProxyEvent {
  const { path, query } = split(call.url);
  const headers: Record<string, string> = {
    Host: DOMAIN,
    'User-Agent': USER_AGENT,
    'X-Forwarded-For': SOURCE_IP,
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    'X-Amzn-Trace-Id': 'Root=1-6747f2a0-1c2b3d4e5f60718293a4b5c6',
    ...call.headers,
  };
  const queryParameters = Object.fromEntries(query.entries());
  const encoded = encodeBody(call.body);
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: call.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: query.size === 0 ? null : queryParameters,
    multiValueQueryStringParameters: query.size === 0 ? null : Object.fromEntries([...query.keys()].map((key) => [key, query.getAll(key)])),
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      authorizer: undefined,
      domainName: DOMAIN,
      domainPrefix: API_ID,
      extendedRequestId: `${call.requestId}-ext`,
      httpMethod: call.method,
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: call.requestId,
      requestTime: '27/Nov/2026:10:00:00 +0000',
      requestTimeEpoch: EPOCH,
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      stage: 'prod',
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: SOURCE_IP, user: null, userAgent: USER_AGENT, userArn: null,
      },
    },
    ...encoded,
  };
}

export function v2Event(call: HttpCall): APIGatewayProxyEventV2 {
  const { path, query, raw } = split(call.url);
  // HTTP APIs lower-case header names and join repeated ones with commas.
  const headers: Record<string, string> = {
    host: DOMAIN,
    'user-agent': USER_AGENT,
    'x-forwarded-for': SOURCE_IP,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    'x-amzn-trace-id': 'Root=1-6747f2a0-1c2b3d4e5f60718293a4b5c6',
    ...Object.fromEntries(Object.entries(call.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
  };
  if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
  const encoded = encodeBody(call.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: raw,
    headers,
    ...(query.size === 0 ? {} : { queryStringParameters: Object.fromEntries([...query.keys()].map((key) => [key, query.getAll(key).join(',')])) }),
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      domainName: DOMAIN,
      domainPrefix: API_ID,
      http: { method: call.method, path, protocol: 'HTTP/1.1', sourceIp: SOURCE_IP, userAgent: USER_AGENT },
      requestId: call.requestId,
      routeKey: '$default',
      stage: '$default',
      time: '27/Nov/2026:10:00:00 +0000',
      timeEpoch: EPOCH,
    },
    ...(encoded.body === null ? { isBase64Encoded: false } : { body: encoded.body, isBase64Encoded: encoded.isBase64Encoded }),
  };
}

export function lambdaContext(awsRequestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'tmr-registry',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:tmr-registry`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: '/aws/lambda/tmr-registry',
    logStreamName: '2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
