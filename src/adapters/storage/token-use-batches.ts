/** One call waiting for a token use, with the time it arrived. */
export interface UseWaiter {
  readonly now: number;
  resolve(userName: string | undefined): void;
  reject(error: unknown): void;
}

/**
 * Token uses, batched per token: while one batch is being written (a conditional write to a remote
 * store), later calls for the same token queue for the next batch, so a burst costs a few round
 * trips instead of one each, and the writes for one token never race each other in this process.
 * `spend` answers each waiter of a batch, in arrival order: its user name, or undefined when refused.
 */
export class TokenUseBatches {
  private readonly queues = new Map<string, UseWaiter[]>();

  constructor(private readonly spend: (tokenHash: string, batch: readonly UseWaiter[]) => Promise<(string | undefined)[]>) {}

  consume(tokenHash: string, now: number): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.queues.get(tokenHash);
      if (waiting !== undefined) {
        waiting.push({ now, resolve, reject });
        return;
      }
      this.queues.set(tokenHash, [{ now, resolve, reject }]);
      void this.drain(tokenHash);
    });
  }

  private async drain(tokenHash: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(tokenHash) ?? [];
      if (batch.length === 0) {
        this.queues.delete(tokenHash);
        return;
      }
      this.queues.set(tokenHash, []);
      try {
        const granted = await this.spend(tokenHash, batch);
        batch.forEach((waiter, index) => waiter.resolve(granted[index]));
      } catch (error) {
        batch.forEach((waiter) => waiter.reject(error));
      }
    }
  }
}
