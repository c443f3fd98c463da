import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { DynamoDbTokenStore } from '../../../src/adapters/storage/dynamodb/dynamodb-token-store';
import { TOKEN_MAX_USES } from '../../../src/domain/user';
import { startDynalite, type Dynalite } from '../../support/dynalite';
import { tokenStoreContract } from '../../support/storage-contract';

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

describe('DynamoDB token accounting (against dynalite on loopback)', () => {
  let dynamo: Dynalite;

  before(async () => {
    dynamo = await startDynalite();
  });
  after(() => dynamo.close());

  tokenStoreContract('DynamoDbTokenStore', async () => {
    const table = await dynamo.newTable();
    return { subject: new DynamoDbTokenStore(dynamo.client(), table), close: async () => undefined };
  });

  it('when three function instances spend one 1000-use token at once, then exactly 1000 uses are granted', async () => {
    const table = await dynamo.newTable();
    const instances = [0, 1, 2].map(() => new DynamoDbTokenStore(dynamo.client(), table));
    const now = Date.UTC(2025, 10, 27);
    await instances[0]?.issue(hashOf('shared'), { userName: 'alice', issuedAt: now, expiresAt: now + 3_600_000, maxUses: TOKEN_MAX_USES });
    const results = await Promise.all(Array.from({ length: 1_200 }, (_unused, index) => instances[index % 3]?.consume(hashOf('shared'), now + 1)));
    expect(results.filter((user) => user === 'alice')).to.have.length(TOKEN_MAX_USES);
    expect(results.filter((user) => user === undefined)).to.have.length(200);
    expect(await instances[1]?.consume(hashOf('shared'), now + 2)).to.equal(undefined);
  });

  it('when the table cannot be reached, then a use fails as STORAGE.UNAVAILABLE rather than being granted', async () => {
    const store = new DynamoDbTokenStore(dynamo.client(), 'no-such-table');
    try {
      await store.consume(hashOf('x'), Date.now());
      expect.fail('consume should have failed');
    } catch (error) {
      expect((error as { code?: string }).code).to.equal('STORAGE.UNAVAILABLE');
    }
  });
});
