import 'reflect-metadata';
import type { Server } from 'node:http';
import type { DependencyContainer } from 'tsyringe';
import { SeedDefaultAdmin } from '../../application/seed-default-admin.use-case';
import { loadConfig, type Config } from '../../config';
import { createContainer, resolve } from '../di/container';
import { Tokens } from '../di/tokens';
import { createApp } from './app';
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

const KEEP_ALIVE_MS = 65_000;

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const container = createContainer(config);
  options.configure?.(container);
  await container.resolve(SeedDefaultAdmin).execute();
  const app = createApp(container, { validateResponses: options.validateResponses === true });
  const server = await new Promise<Server>((done, fail) => {
    const listening = app.listen(config.port, config.host, () => done(listening));
    listening.once('error', fail);
  });
  // Node closes an idle keep-alive connection 5 s after it finished writing a response; a client
  // still reading the end of a large download from its socket buffers then sends its next request
  // into a closed connection (the performance run's downloads showed it). Load balancers wait 60 s.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = listeningUrlOf(config.host, port);
  // Port 0 picked a port only now; links fall back to the real address unless TMR_PUBLIC_URL is set.
  app.locals.listeningUrl = url;
  const lifecycle = resolve(container, Tokens.Lifecycle);
  return {
    server,
    container,
    url,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await lifecycle.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startServer(config);
  const logger = resolve(running.container, Tokens.Logger);
  logger.info(`registry listening on ${running.url}`, { storage: config.storage, dataDir: config.dataDir });
  logger.info(`API docs: ${running.url}/docs`);
  if (webDistPath() !== undefined) logger.info(`web UI: ${running.url}/`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
