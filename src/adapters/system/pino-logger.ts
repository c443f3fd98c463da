import pino from 'pino';
import type { Logger } from '../../ports/system.port';
import type { LogLevel } from '../../config';

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

export function createPino(level: LogLevel): pino.Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'tmr' } });
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
