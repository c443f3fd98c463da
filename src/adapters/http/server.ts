import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { SeedDefaultAdmin } from '../../application/seed-default-admin.use-case';
import { loadConfig, type Config } from '../../config';
import { createContainer, resolve } from '../di/container';
import { Tokens } from '../di/tokens';
import { createRequestListener } from './app';
import { applyConnectionLimits } from './connection-limits';
import { webDistPath } from './openapi-document';
import { listeningUrlOf } from './presenters';

export interface RunningServer {
  readonly server: Server;
  readonly container: DependencyContainer;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the registry on the configured host and port; port 0 picks a free one (tests). */
export interface ServerOptions {
  readonly validateResponses?: boolean;
  /** Replaces registrations before anything is resolved (tests swap the clock, for instance). */
  readonly configure?: (container: DependencyContainer) => void;
}

/** How long a shutdown waits for responses still being written before it cuts their connections. */
const CLOSE_GRACE_MS = 5_000;

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const container = createContainer(config);
  const lifecycle = resolve(container, Tokens.Lifecycle);
  let server: Server;
  let app: Express;
  try {
    options.configure?.(container);
    await lifecycle.start();
    await container.resolve(SeedDefaultAdmin).execute();
    const served = createRequestListener(container, { validateResponses: options.validateResponses === true });
    app = served.app;
    server = createServer(served.listener);
    applyConnectionLimits(server, config, resolve(container, Tokens.Logger));
    // Node closes an idle keep-alive connection 5 s after it finished writing a response; a client
    // still reading the end of a large download from its socket buffers then sends its next request
    // into a closed connection (the performance run's downloads showed it). Idle connections are
    // instead kept as long as TMR_IDLE_TIMEOUT_MS allows any silence.
    server.keepAliveTimeout = config.idleTimeoutMs;
    await listen(server, config);
  } catch (error) {
    await lifecycle.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = listeningUrlOf(config.host, port);
  // Port 0 picked a port only now; links fall back to the real address unless TMR_PUBLIC_URL is set.
  app.locals.listeningUrl = url;
  return {
    server,
    container,
    url,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      // Idle keep-alive sockets go at once; a response still being written gets a grace period,
      // so a client that stopped reading cannot hold the shutdown open for the whole idle timeout.
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      grace.unref();
      await closed;
      clearTimeout(grace);
      server.closeAllConnections();
      await lifecycle.close();
    },
  };
}

export class ListenError extends Error {
  constructor(config: Pick<Config, 'host' | 'port'>, cause: NodeJS.ErrnoException) {
    const where = `${config.host}:${config.port}`;
    const reason = cause.code === 'EADDRINUSE'
      ? `${where} is already in use by another program (is the registry already running?); stop it or choose another PORT`
      : cause.code === 'EACCES'
        ? `${where} needs privileges this process lacks; choose a PORT above 1023`
        : cause.code === 'EADDRNOTAVAIL'
          ? `${config.host} is not an address of this machine; check HOST`
          : `${where}: ${cause.message}`;
    super(`cannot listen on ${reason}`);
    this.name = 'ListenError';
  }
}

/** Resolves once listening; a port in use (or any other listen failure) rejects instead of passing for success. */
function listen(server: Server, config: Pick<Config, 'host' | 'port'>): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException): void => fail(new ListenError(config, error));
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      done();
    });
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const starting = startServer(config);
  // Installed before anything is announced: a signal right after "listening" must still close cleanly.
  const stop = (): void => {
    void starting.then((running) => running.close(), () => undefined).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const running = await starting;
  const logger = resolve(running.container, Tokens.Logger);
  logger.info(`registry listening on ${running.url}`, { storage: config.storage, dataDir: config.dataDir });
  logger.info(`API docs: ${running.url}/docs`);
  if (webDistPath() !== undefined) logger.info(`web UI: ${running.url}/`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
