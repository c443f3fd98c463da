import {
  BatchWriteItemCommand, ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  UpdateItemCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { TokenGrant, TokenStore } from '../../../ports/user-store.port';
import { TokenUseBatches, type UseWaiter } from '../token-use-batches';

/** Name of the index from user name to token hashes, as declared in infra/template.yaml. */
export const TOKENS_BY_USER_INDEX = 'byUser';
const MAX_ATTEMPTS = 6;
const BATCH_DELETE = 25;

type Item = Record<string, AttributeValue>;
const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * Tokens in a DynamoDB table, each item holding the uses it has left. A use is one conditional
 * UpdateItem (`remaining >= :n AND expiresAt > :now`), which DynamoDB applies atomically, so any
 * number of function instances can never spend more than the limit, and a call costs one write
 * request instead of an S3 GET and PUT. Uses of one token that arrive while a write is in flight are
 * spent together by the next write (group commit); when fewer uses are left than asked for, the
 * earliest arrivals get them.
 */
export class DynamoDbTokenStore implements TokenStore {
  private readonly batches = new TokenUseBatches((tokenHash, batch) => this.spend(tokenHash, batch));

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async issue(tokenHash: string, grant: TokenGrant): Promise<void> {
    await this.call(() => this.client.send(new PutItemCommand({
      TableName: this.table,
      Item: {
        hash: { S: tokenHash },
        userName: { S: grant.userName },
        issuedAt: n(grant.issuedAt),
        expiresAt: n(grant.expiresAt),
        remaining: n(grant.maxUses),
        // DynamoDB's time to live removes expired tokens for free, some time after they expire.
        ttl: n(Math.ceil(grant.expiresAt / 1000)),
      },
    })));
  }

  consume(tokenHash: string, now: number): Promise<string | undefined> {
    return this.batches.consume(tokenHash, now);
  }

  /** The index is eventually consistent: a token issued in the same instant may outlive this by a moment. */
  async revoke(tokenHash: string): Promise<void> {
    await this.deleteHashes([tokenHash]);
  }

  async revokeUser(userName: string, exceptTokenHash?: string): Promise<void> {
    let start: Item | undefined;
    do {
      const page = await this.call(() => this.client.send(new QueryCommand({
        TableName: this.table,
        IndexName: TOKENS_BY_USER_INDEX,
        KeyConditionExpression: 'userName = :user',
        ExpressionAttributeValues: { ':user': { S: userName } },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      })));
      await this.deleteHashes((page.Items ?? []).map((item) => item.hash?.S ?? '').filter((hash) => hash !== '' && hash !== exceptTokenHash));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }

  async clear(): Promise<void> {
    let start: Item | undefined;
    do {
      const page = await this.call(() => this.client.send(new ScanCommand({
        TableName: this.table, ProjectionExpression: '#h', ExpressionAttributeNames: { '#h': 'hash' }, ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      })));
      await this.deleteHashes((page.Items ?? []).map((item) => item.hash?.S ?? '').filter((hash) => hash !== ''));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /** Spends one use per waiter (in arrival order) with as few conditional writes as the uses left allow. */
  private async spend(tokenHash: string, batch: readonly UseWaiter[]): Promise<(string | undefined)[]> {
    // The latest arrival's clock decides expiry, so no use is ever granted after the token expired.
    const now = Math.max(...batch.map((waiter) => waiter.now));
    let wanted = batch.length;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && wanted > 0; attempt += 1) {
      const userName = await this.take(tokenHash, wanted, now);
      if (userName !== undefined) return batch.map((_waiter, index) => (index < wanted ? userName : undefined));
      const left = await this.remaining(tokenHash, now);
      if (left === 0) break;
      wanted = Math.min(wanted, left);
    }
    return batch.map(() => undefined);
  }

  /** Takes `count` uses at once, or none: the user name when taken. */
  private async take(tokenHash: string, count: number, now: number): Promise<string | undefined> {
    try {
      const result = await this.call(() => this.client.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { hash: { S: tokenHash } },
        UpdateExpression: 'SET remaining = remaining - :count',
        ConditionExpression: 'remaining >= :count AND expiresAt > :now',
        ExpressionAttributeValues: { ':count': n(count), ':now': n(now) },
        // The new item names the owner, so a use costs this one request and no read.
        ReturnValues: 'ALL_NEW',
      })));
      return result.Attributes?.userName?.S;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Uses still available now: 0 when the token is unknown, revoked or expired. */
  private async remaining(tokenHash: string, now: number): Promise<number> {
    const item = await this.read(tokenHash);
    if (item === undefined || Number(item.expiresAt?.N ?? 0) <= now) return 0;
    return Math.max(0, Number(item.remaining?.N ?? 0));
  }

  private async read(tokenHash: string): Promise<Item | undefined> {
    const result = await this.call(() => this.client.send(new GetItemCommand({ TableName: this.table, Key: { hash: { S: tokenHash } }, ConsistentRead: true })));
    return result.Item;
  }

  private async deleteHashes(hashes: readonly string[]): Promise<void> {
    for (let index = 0; index < hashes.length; index += BATCH_DELETE) {
      let requests: Record<string, NonNullable<ConstructorParameters<typeof BatchWriteItemCommand>[0]['RequestItems']>[string]> = {
        [this.table]: hashes.slice(index, index + BATCH_DELETE).map((hash) => ({ DeleteRequest: { Key: { hash: { S: hash } } } })),
      };
      for (let attempt = 0; attempt < MAX_ATTEMPTS && Object.keys(requests).length > 0; attempt += 1) {
        const result = await this.call(() => this.client.send(new BatchWriteItemCommand({ RequestItems: requests })));
        requests = result.UnprocessedItems ?? {};
      }
    }
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw new DomainError(ErrorCode.StorageUnavailable, `the token table is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
