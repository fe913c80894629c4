import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, LIMITS } from '../src/index.js';

const root = new URL('../../../', import.meta.url);

function tableRows(file: string): string[][] {
  return readFileSync(new URL(file, root), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

describe('docs stay in sync with the code', () => {
  it('docs/errors.md lists every catalogue code with its status and message, and nothing else', () => {
    const rows = tableRows('docs/errors.md');
    const documented = Object.fromEntries(
      rows.map((r) => [r[0]?.replaceAll('`', ''), { status: r[1], message: r[2] }]),
    );
    const expected = Object.fromEntries(
      Object.entries(ERRORS).map(([code, e]) => [
        code,
        { status: e.status === 202 ? 'per event' : String(e.status), message: e.message },
      ]),
    );
    expect(documented).toEqual(expected);
  });

  it('docs/protocol.md lists every named limit with its value', () => {
    const rows = tableRows('docs/protocol.md').filter(
      (r) => (r[0] ?? '').startsWith('`max') || (r[0] ?? '').startsWith('`min'),
    );
    const documented = Object.fromEntries(
      rows.map((r) => [r[0]?.replaceAll('`', ''), Number(r[1]?.replaceAll(',', ''))]),
    );
    expect(documented).toEqual({ ...LIMITS });
  });
});
