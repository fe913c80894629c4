import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, measureBrowserBundle } from '../bench/size.js';

describe('browser bundle budget', () => {
  it('core + browser + all auto-capture stays within 8 KB minified and gzipped', async () => {
    const { gzippedBytes, minifiedBytes } = await measureBrowserBundle();
    expect(minifiedBytes).toBeGreaterThan(10_000); // the bundle really holds the SDK
    expect(gzippedBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
