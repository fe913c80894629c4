import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCollector, until } from './support/fake-collector.js';

const fixture = fileURLToPath(new URL('./fixtures/node-app.ts', import.meta.url));
let collector: FakeCollector;

beforeEach(async () => {
  collector = await new FakeCollector().start();
});
afterEach(async () => {
  await collector.close();
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(mode: string, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, MODE: mode, VIGIL_URL: collector.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('node entry', () => {
  it('flushes on beforeExit when the app ends by itself', async () => {
    const r = await run('exit');
    expect(r.code).toBe(0);
    expect(collector.events.map((e) => e.type)).toEqual(['action', 'api', 'api']);
    expect(collector.rejected).toBe(0);
    expect(collector.requests[0]?.headers.authorization).toBe('Bearer vk_node');
  });

  it('captures an uncaught exception and still exits 1 with the stack on stderr', async () => {
    const r = await run('throw');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: boom in child');
    const err = collector.events.find((e) => e.type === 'error');
    expect(err).toMatchObject({
      kind: 'javascript',
      message: 'boom in child',
      context: { mechanism: 'uncaughtException' },
    });
  });

  it('captures an unhandled rejection and keeps the default crash', async () => {
    const r = await run('reject');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected in child');
    expect(collector.events.find((e) => e.type === 'error')).toMatchObject({
      message: 'rejected in child',
      context: { mechanism: 'unhandledRejection' },
    });
  });

  it("leaves the host's own uncaughtException handler in charge", async () => {
    const r = await run('handled');
    expect(r.stdout).toContain('host handled it');
    expect(r.code).toBe(3);
  });

  it('flushes on SIGTERM and still terminates by the signal', async () => {
    let sent = false;
    const r = await run('sigterm', (out, kill) => {
      if (!sent && out.includes('ready')) {
        sent = true;
        kill('SIGTERM');
      }
    });
    expect(r.signal).toBe('SIGTERM');
    expect(collector.events.map((e) => e.type)).toEqual(['action']);
  });

  it('records process and host gauges on an interval', async () => {
    const r = await run('gauges');
    expect(r.code).toBe(0);
    await until(() => collector.events.some((e) => e.type === 'gauge'));
    const names = new Set(collector.events.flatMap((e) => (e.type === 'gauge' ? [e.name] : [])));
    expect([...names].sort()).toEqual(['cpu.percent', 'eventloop.delay_ms', 'memory.percent', 'uptime']);
    expect(collector.rejected).toBe(0);
  });
});
