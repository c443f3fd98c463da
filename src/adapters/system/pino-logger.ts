import pino from 'pino';
import type { Logger } from '../../ports/system.port';
import type { LogLevel } from '../../config';
import type { RecentLogs } from './recent-logs';

// Whatever a caller passes, these never reach a log line.
export const REDACTED_PATHS = [
  'req.headers["x-authorization"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  'secret',
  'token',
  '*.password',
  '*.token',
];

const ORDER: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * Logs go to stdout at the configured level and, at least at `info`, to the in-memory recent-log
 * buffer, so the dashboard has lines to show even when stdout is kept quiet.
 */
export function createPino(level: LogLevel, recent?: RecentLogs): pino.Logger {
  const options = { redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'tmr' } };
  if (recent === undefined) return pino({ ...options, level });
  const bufferLevel: LogLevel = ORDER.indexOf(level) < ORDER.indexOf('info') ? level : 'info';
  const streams: pino.StreamEntry[] = [{ level: bufferLevel as pino.Level, stream: recent }];
  if (level !== 'silent') streams.push({ level: level as pino.Level, stream: process.stdout });
  return pino({ ...options, level: bufferLevel }, pino.multistream(streams));
}

export class PinoLogger implements Logger {
  constructor(private readonly pinoLogger: pino.Logger) {}

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.pinoLogger.debug(fields, message);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.pinoLogger.info(fields, message);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.pinoLogger.warn(fields, message);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.pinoLogger.error(fields, message);
  }
}
