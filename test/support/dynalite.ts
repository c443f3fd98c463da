import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTokensTable, dynamoDbClient, type DynamoDbConfig } from '../../src/adapters/storage/dynamodb/dynamodb-tokens-table';

const load = createRequire(__filename);
const dynalite = load('dynalite') as (options: Record<string, number>) => Server;

export interface Dynalite {
  readonly config: DynamoDbConfig;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  client(): DynamoDBClient;
  /** A new, empty tokens table; returns its name. */
  newTable(): Promise<string>;
  close(): Promise<void>;
}

/** dynalite, a DynamoDB implementation, in memory on loopback, with tables ready at once. */
export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: 'DYNALITE', secretAccessKey: 'DYNALITE' };
  const base: DynamoDbConfig = { table: 'tmr-tokens', region: 'us-east-1', endpoint };
  const clients: DynamoDBClient[] = [];
  const client = (): DynamoDBClient => {
    const made = dynamoDbClient(base, credentials);
    clients.push(made);
    return made;
  };
  let tables = 0;
  return {
    config: base,
    credentials,
    client,
    newTable: async () => {
      tables += 1;
      const table = `tmr-tokens-${tables}`;
      await createTokensTable(client(), table);
      return table;
    },
    close: async () => {
      clients.forEach((made) => made.destroy());
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
