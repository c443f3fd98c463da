import type { Logger } from '../../ports/system.port';

/**
 * Runs a sweep at start-up and then every `intervalMs`, one at a time, in the background: serving
 * never waits for it, and the timer does not keep the process alive. `stop` waits for a sweep
 * under way, so storage is not closed beneath it.
 */
export class ContentSweeps {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly sweep: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }

  private runOnce(): void {
    if (this.running !== undefined || this.stopped) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.warn('sweeping unused content failed; the next sweep tries again', { error: String(error) }))
      .finally(() => {
        this.running = undefined;
      });
  }
}
