import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { TOKENS_BY_USER_INDEX } from './dynamodb-token-store';

export interface DynamoDbConfig {
  readonly table: string;
  readonly region: string;
  /** For DynamoDB-compatible servers (dynalite in tests); absent means AWS itself. */
  readonly endpoint?: string;
}

/** A client that fails fast enough for a function's 29 s: a few short attempts, connections reused. */
export function dynamoDbClient(config: DynamoDbConfig, credentials?: { accessKeyId: string; secretAccessKey: string }): DynamoDBClient {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return new DynamoDBClient({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: 2_000, requestTimeout: 4_000, throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions),
    },
  });
}

/**
 * Creates the tokens table as infra/template.yaml declares it, for emulators and first runs
 * outside CloudFormation. On AWS the template owns the table.
 */
export async function createTokensTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'hash', AttributeType: 'S' }, { AttributeName: 'userName', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'hash', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: TOKENS_BY_USER_INDEX,
      KeySchema: [{ AttributeName: 'userName', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  }));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: table });
}
