const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly message: string;
  readonly requestId?: string;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly durationMs?: number;
}

/**
 * The last lines the registry logged, kept in memory so the dashboard can show them without a log
 * backend. Lines arrive after pino's redaction, so no secret reaches this buffer.
 */
export class RecentLogs {
  private readonly lines: LogLine[] = [];

  constructor(private readonly capacity = 500) {}

  /** pino's destination interface: one JSON line per call. */
  write(chunk: string): void {
    try {
      const entry = JSON.parse(chunk) as Record<string, unknown>;
      this.lines.push(toLine(entry));
      if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    } catch {
      // A line that is not JSON is not ours to show.
    }
  }

  /** Newest last, at most `limit`. */
  recent(limit: number): LogLine[] {
    return this.lines.slice(-limit);
  }

  get lastUpdated(): string | undefined {
    return this.lines[this.lines.length - 1]?.time;
  }
}

function toLine(entry: Record<string, unknown>): LogLine {
  const req = (entry.req ?? {}) as Record<string, unknown>;
  const res = (entry.res ?? {}) as Record<string, unknown>;
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString() : new Date(0).toISOString();
  return {
    time,
    level: LEVELS[Number(entry.level)] ?? String(entry.level),
    message: String(entry.msg ?? ''),
    ...(typeof entry.requestId === 'string' ? { requestId: entry.requestId } : {}),
    ...(typeof req.method === 'string' ? { method: req.method } : {}),
    ...(typeof req.url === 'string' ? { url: req.url.split('?')[0] } : {}),
    ...(typeof res.statusCode === 'number' ? { status: res.statusCode } : {}),
    ...(typeof entry.responseTime === 'number' ? { durationMs: entry.responseTime } : {}),
  };
}
