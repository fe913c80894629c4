import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../src/cli-options.js';

describe('parseCliOptions', () => {
  it('applies the defaults', () => {
    expect(parseCliOptions([], { VIGIL_INGEST_KEY: 'vk_1' })).toEqual({
      ok: true,
      options: {
        url: 'http://127.0.0.1:4600',
        key: 'vk_1',
        rate: 200,
        durationMillis: undefined,
        seed: undefined,
        mode: 'scheduled',
        batchSize: undefined,
      },
    });
  });

  it('reads every option and PORT', () => {
    const argv = [
      '--key',
      'k2',
      '--rate',
      '50',
      '--duration',
      '2.5',
      '--seed',
      '9',
      '--mode',
      'slow',
      '--batch-size',
      '20',
    ];
    expect(parseCliOptions(argv, { PORT: '5000' })).toEqual({
      ok: true,
      options: {
        url: 'http://127.0.0.1:5000',
        key: 'k2',
        rate: 50,
        durationMillis: 2500,
        seed: 9,
        mode: 'slow',
        batchSize: 20,
      },
    });
    const url = parseCliOptions(['--url', 'http://vigil.internal:8080/'], { VIGIL_INGEST_KEY: 'x' });
    expect(url.ok === true && url.options.url).toBe('http://vigil.internal:8080');
  });

  it('explains a missing key, a bad number and a bad mode', () => {
    expect(parseCliOptions([], {})).toEqual({
      ok: false,
      error: 'no ingest key: pass --key <key> or set VIGIL_INGEST_KEY (the server prints it at start)',
    });
    expect(parseCliOptions(['--key', 'k', '--rate', 'fast'], {})).toEqual({
      ok: false,
      error: '--rate must be a number of at least 0.001, got fast',
    });
    expect(parseCliOptions(['--key', 'k', '--mode', 'chaos'], {})).toEqual({
      ok: false,
      error: '--mode must be normal, error-burst, slow or scheduled, got chaos',
    });
    expect(parseCliOptions(['--help'], {})).toEqual({ ok: 'help' });
  });
});
