import { connect, type Socket } from 'node:net';
import { type HealthProbe, measure, type ProbeResult } from './health-probe.js';

/**
 * Splits `host:port` (IPv6 in brackets) into its parts.
 *
 * @example
 * hostPort('[::1]:6379'); // { host: '::1', port: 6379 }
 */
export function hostPort(target: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  if (m === null) throw new Error(`not host:port: ${target}`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/**
 * Opens a TCP connection (resolves once connected), destroyed when the signal aborts.
 *
 * @example
 * const socket = await openSocket('127.0.0.1', 6379, signal);
 */
export function openSocket(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const abort = () => socket.destroy(new Error('timed out'));
    signal.addEventListener('abort', abort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', abort);
      resolve(socket);
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', abort);
      reject(e);
    });
  });
}

/**
 * Checks that a TCP port accepts connections (`target` is `host:port`).
 *
 * @example
 * await new TcpProbe('video.internal:443').check(AbortSignal.timeout(2_000));
 */
export class TcpProbe implements HealthProbe {
  constructor(private readonly target: string) {}

  check(signal: AbortSignal): Promise<ProbeResult> {
    return measure(signal, async () => {
      const { host, port } = hostPort(this.target);
      const socket = await openSocket(host, port, signal);
      socket.destroy();
      return 'connected';
    });
  }
}
