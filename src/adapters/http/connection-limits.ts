import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../ports/system.port';

export interface ConnectionLimits {
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
}

/**
 * Limits that protect the process without cutting off a legitimate slow client:
 * - at most `maxConnections` sockets (more are closed at once), so descriptors cannot run out;
 * - no limit on a whole request (a 2 GiB upload over a slow link takes as long as it takes), but
 *   `idleTimeoutMs` of silence ends a connection while its headers or body are arriving, while it
 *   sits idle, or while a download is not being read;
 * - silence while the registry itself works on a received request (inspecting a large zip) is ours,
 *   not the client's, and does not count.
 */
export function applyConnectionLimits(server: Server, limits: ConnectionLimits, logger?: Logger): void {
  server.maxConnections = limits.maxConnections;
  // Refusals are the operator's business (the cap may be too low), not an error of any request.
  server.on('drop', (peer?: { remoteAddress?: string }) => {
    logger?.warn('connection refused: TMR_MAX_CONNECTIONS reached', { limit: limits.maxConnections, remoteAddress: peer?.remoteAddress });
  });
  server.requestTimeout = 0;
  server.headersTimeout = limits.idleTimeoutMs;
  server.setTimeout(limits.idleTimeoutMs);
  const working = new Map<Socket, ServerResponse>();
  server.on('request', (req, res: ServerResponse) => {
    const { socket } = req;
    working.set(socket, res);
    res.once('close', () => {
      if (working.get(socket) === res) working.delete(socket);
    });
  });
  // With a listener here, Node no longer destroys timed-out sockets itself: this decides.
  server.on('timeout', (socket: Socket) => {
    const res = working.get(socket);
    if (res !== undefined && res.req.complete && !res.headersSent) return;
    socket.destroy();
  });
}
