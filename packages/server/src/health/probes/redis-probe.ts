import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type HealthProbe, measure, type ProbeResult } from './health-probe.js';
import { openSocket } from './tcp-probe.js';

/** A RESP array of bulk strings: how a client sends a command. */
function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}

/** Reads `count` RESP simple replies (`+…` / `-…` lines) from the socket. */
function readLines(socket: Socket, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\r\n');
      if (lines.length > count) {
        cleanup();
        resolve(lines.slice(0, count));
      } else if (buffer.length > 4096) {
        cleanup();
        reject(new Error('unexpected reply from Redis'));
      }
    };
    const onClose = () => {
      cleanup();
      reject(new Error('connection closed before Redis answered'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/**
 * Checks a Redis server with `PING` over a raw socket speaking RESP (no client library): `target`
 * is `redis://[user:password@]host[:port]` (or `rediss://` for TLS). With a password it sends
 * `AUTH` first. Healthy means the answer is `+PONG`.
 *
 * @example
 * await new RedisProbe('redis://127.0.0.1:6379').check(AbortSignal.timeout(2_000));
 */
export class RedisProbe implements HealthProbe {
  constructor(private readonly target: string) {}

  check(signal: AbortSignal): Promise<ProbeResult> {
    return measure(signal, async () => {
      const url = new URL(this.target);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const port = Number(url.port || 6379);
      let socket = await openSocket(host, port, signal);
      if (url.protocol === 'rediss:') socket = await upgradeTls(socket, host, signal);
      try {
        const password = decodeURIComponent(url.password);
        const user = decodeURIComponent(url.username);
        const commands = password ? [user ? command('AUTH', user, password) : command('AUTH', password)] : [];
        commands.push(command('PING'));
        const replies = readLines(socket, commands.length);
        socket.write(commands.join(''));
        const lines = await replies;
        const failed = lines.find((l) => l.startsWith('-'));
        if (failed !== undefined) return { ok: false, detail: `Redis answered ${failed.slice(1, 200)}` };
        const pong = lines.at(-1);
        return pong === '+PONG'
          ? 'PONG'
          : { ok: false, detail: `unexpected reply ${JSON.stringify(pong?.slice(0, 50))}` };
      } finally {
        socket.destroy();
      }
    });
  }
}

function upgradeTls(socket: Socket, servername: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, servername });
    const abort = () => tls.destroy(new Error('timed out'));
    signal.addEventListener('abort', abort, { once: true });
    tls.once('secureConnect', () => {
      signal.removeEventListener('abort', abort);
      resolve(tls);
    });
    tls.once('error', reject);
  });
}
