/**
 * `npm run size`: bundles the browser entry (core, trackers and every auto-capture) with
 * esbuild, minified, gzips it and prints the size; exits 1 over the budget. The same function
 * backs the budget test in `test/bundle-size.test.ts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The browser bundle budget, gzipped. */
export const BUDGET_BYTES = 8 * 1024;

/** Sizes of the minified browser bundle. */
export interface BundleSize {
  minifiedBytes: number;
  gzippedBytes: number;
}

/**
 * Builds the browser entry as an app would ship it and measures it; `withAnalysis` adds the
 * `@vigil/sdk/analysis` opt-in (outside the budget).
 *
 * @example
 * const { gzippedBytes } = await measureBrowserBundle();
 */
export async function measureBrowserBundle(withAnalysis = false): Promise<BundleSize> {
  const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const result = await build({
    stdin: {
      // Everything the browser entry exports, so nothing is tree-shaken away that a user could call.
      contents: `export * from './src/browser.ts';${withAnalysis ? " import './src/analysis.ts';" : ''}`,
      resolveDir: sdkDir,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minifiedBytes: code.byteLength, gzippedBytes: gzipSync(code, { level: 9 }).byteLength };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { minifiedBytes, gzippedBytes } = await measureBrowserBundle();
  const kb = (n: number): string => `${(n / 1024).toFixed(2)} KB`;
  console.log(
    `@vigil/sdk/browser (core + browser + auto-capture): ${kb(minifiedBytes)} minified, ${kb(gzippedBytes)} gzipped`,
  );
  console.log(`budget ${kb(BUDGET_BYTES)} gzipped: ${gzippedBytes <= BUDGET_BYTES ? 'OK' : 'OVER'}`);
  const full = await measureBrowserBundle(true);
  console.log(
    `with the @vigil/sdk/analysis opt-in: ${kb(full.minifiedBytes)} minified, ${kb(full.gzippedBytes)} gzipped (+${kb(full.gzippedBytes - gzippedBytes)})`,
  );
  if (gzippedBytes > BUDGET_BYTES) process.exitCode = 1;
}
