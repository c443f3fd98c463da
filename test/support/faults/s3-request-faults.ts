import type { FaultInjector, FaultMode, PortCall } from './port-faults';
import type { Fault, FaultAction, LocalS3 } from '../s3rver';

/**
 * Faults one level down: the `at`-th request the S3 server receives after arming misbehaves. `fail`
 * answers 503 (the SDK retries it), `throttle` likewise, `timeout` carries the request out but drops
 * the answer (the SDK cannot know it landed, and retries), `hang` never answers.
 */
const ACTIONS: Record<FaultMode, FaultAction> = { fail: 'error', throttle: 'error', timeout: 'lose-answer', hang: 'hang' };

export class S3RequestFaults implements FaultInjector {
  private start = 0;
  private at: number | undefined;
  private fault: Fault | undefined;
  private hit = false;
  readonly belowRetries = true;

  constructor(private readonly s3: LocalS3) {}

  arm(at?: number, mode: FaultMode = 'fail'): void {
    this.start = this.s3.requests.length;
    this.at = at;
    this.hit = false;
    if (at === undefined) return;
    let seen = 0;
    this.fault = this.s3.fail(() => {
      seen += 1;
      if (seen !== at) return false;
      this.hit = true;
      return true;
    }, ACTIONS[mode]);
  }

  disarm(): void {
    this.fault?.clear();
    this.fault = undefined;
  }

  get calls(): PortCall[] {
    return this.s3.requests.slice(this.start).map((request, offset) => ({
      index: offset + 1,
      port: 'S3',
      method: `${request.method} ${request.key.split('/')[0] ?? ''}${Object.keys(request.query).length > 0 ? `?${Object.keys(request.query).join('&')}` : ''}`,
      faulted: this.hit && offset + 1 === this.at,
    }));
  }

  get struck(): PortCall | undefined {
    return this.calls.find((call) => call.faulted);
  }
}
