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
 * backend. Lines arrive after pino's redaction, so no secret reaches this buffer. They are kept as
 * pino wrote them and parsed only when read: parsing each line as it came was a tenth of the CPU of
 * a small request, for a page an administrator opens now and then.
 */
export class RecentLogs {
  private readonly raw: string[] = [];
  /** Where the next line goes once the buffer is full (the oldest line). */
  private next = 0;

  constructor(private readonly capacity = 500) {}

  /** pino's destination interface: one JSON line per call. */
  write(chunk: string): void {
    if (this.raw.length < this.capacity) this.raw.push(chunk);
    else {
      this.raw[this.next] = chunk;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** Newest last, at most `limit`. */
  recent(limit: number): LogLine[] {
    const ordered = [...this.raw.slice(this.next), ...this.raw.slice(0, this.next)];
    return ordered.map(parse).filter((line): line is LogLine => line !== undefined).slice(-limit);
  }

  get lastUpdated(): string | undefined {
    for (let i = 1; i <= this.raw.length; i += 1) {
      const line = parse(this.raw[(this.next - i + this.raw.length) % this.raw.length] ?? '');
      if (line !== undefined) return line.time;
    }
    return undefined;
  }
}

/** A line that is not JSON is not ours to show. */
function parse(chunk: string): LogLine | undefined {
  try {
    return toLine(JSON.parse(chunk) as Record<string, unknown>);
  } catch {
    return undefined;
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
