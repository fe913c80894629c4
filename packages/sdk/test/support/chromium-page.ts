import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import type * as BrowserSdk from '../../src/browser.js';

/** Debian's chromium; `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the real-browser suites run: always under `CI=true` (a missing browser then fails
 * the run instead of hiding it), elsewhere only when Debian's chromium is installed.
 */
export const RUN_CHROMIUM = process.env.CI === 'true' || existsSync(CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser SDK as the test page exposes it on `globalThis.Vigil`. */
export type PageSdk = typeof BrowserSdk;

/**
 * Launches headless Chromium.
 *
 * @example
 * const browser = await launchChromium();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** The browser entry bundled as an app would load it, exposing every export as `globalThis.Vigil`. */
async function bundleBrowserSdk(): Promise<string> {
  const sdk = await build({
    stdin: {
      contents: "import * as V from './src/browser.ts'; (globalThis as any).Vigil = V;",
      resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return sdk.outputFiles[0]?.text ?? '';
}

/** A small site serving a portal page that loads the browser SDK. */
export interface PortalSite {
  /** A page URL on `localhost`, so requests to a collector on `127.0.0.1` are cross-origin. */
  pageUrl: string;
  close(): Promise<void>;
}

/**
 * Serves `/sdk.js` (the bundled browser SDK), a portal page at every other path, and `500` for
 * `/api/*` (a failing backend for the fetch capture).
 *
 * @example
 * const site = await servePortal();
 * await page.goto(site.pageUrl);
 */
export async function servePortal(): Promise<PortalSite> {
  const js = await bundleBrowserSdk();
  const server: Server = createServer((req, res) => {
    if (req.url === '/sdk.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url?.startsWith('/api/')) return res.writeHead(500, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><title>Portal</title><h1>Learning portal</h1><p>Course list</p><script src="/sdk.js"></script>',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    pageUrl: `http://localhost:${(server.address() as AddressInfo).port}/courses/42`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Polls `check` every 50 ms until it holds; throws after `timeoutMillis` with `describe()`'s
 * account of the last state.
 */
export async function until(
  check: () => Promise<boolean>,
  timeoutMillis = 15_000,
  describe: () => string = () => '',
): Promise<void> {
  const end = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMillis} ms ${describe()}`.trim());
    await new Promise((r) => setTimeout(r, 50));
  }
}
