import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** A server started as its own process, so its CPU and memory are measured apart from the load. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `script` (a TypeScript file run by tsx) with `env`, and waits until it prints
 * `readyPattern`. The URL is taken from the first `http://…` it prints.
 */
export async function startServer(
  script: string,
  env: Record<string, string>,
  readyPattern = /running at (http:\/\/\S+)/,
): Promise<ServerProcess> {
  const child = spawn(TSX, [path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = readyPattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve((m[1] as string).replace(/\s.*$/, ''));
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  });
  // tsx runs the script in a child node process; measure that one (the deepest descendant).
  const pid = deepestChild(child.pid as number);
  return {
    child,
    pid,
    url,
    output: () => out,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        if (signal === 'SIGKILL') {
          // Kill the real server process first, as a crash would, then the tsx wrapper.
          try {
            process.kill(pid, 'SIGKILL');
          } catch {}
        }
        child.kill(signal);
      });
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function deepestChild(pid: number): number {
  let current = pid;
  for (;;) {
    const kids = childrenOf(current);
    if (kids.length === 0) return current;
    current = kids[0] as number;
  }
}

/** CPU seconds (user + system) used so far by a process, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/** Resident set size now and its peak (VmHWM), in bytes. */
export function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
