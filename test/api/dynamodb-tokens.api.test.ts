import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { startDynalite, type Dynalite } from '../support/dynalite';
import { startLocalS3, type LocalS3 } from '../support/s3rver';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

describe('API: S3 mode with token uses counted in DynamoDB', () => {
  let s3: LocalS3;
  let dynamo: Dynalite;
  let bucket: string;
  let table: string;
  let registry: TestRegistry;

  before(async () => {
    s3 = await startLocalS3();
    dynamo = await startDynalite();
    bucket = await s3.newBucket();
    table = await dynamo.newTable();
    registry = await startTestRegistry({
      storage: 's3',
      env: { ...s3.env(bucket), TMR_TOKENS_TABLE: table, DYNAMODB_ENDPOINT: dynamo.config.endpoint ?? '' },
    });
  });
  after(async () => {
    await registry.close();
    await dynamo.close();
    await s3.close();
  });

  it('when a client signs in and makes calls, then its token lives in the table, each call spends a use there and the bucket holds no token', async () => {
    const token = await registry.token();
    for (let call = 0; call < 3; call += 1) {
      expect((await registry.request('GET', '/artifacts/model/01JD0000000000000000000001', { token })).status).to.equal(404);
    }
    const items = (await dynamo.client().send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
    const remaining = items.map((item) => Number(item.remaining?.N));
    expect(remaining).to.include(997);
    const tokenObjects = await s3.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tokens/' }));
    expect(tokenObjects.KeyCount ?? 0).to.equal(0);
  });

  it('when the token is garbage, then 403 and no use is spent anywhere', async () => {
    const response = await registry.request('GET', '/artifacts/model/01JD0000000000000000000001', { token: 'bearer nonsense' });
    expect(response.status).to.equal(403);
  });
});
