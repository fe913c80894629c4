import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilApp } from '../../src/app.js';
import { progressBar, runReportCommand } from '../../src/reports/report-command.js';
import { ReportService } from '../../src/reports/report-service.js';
import { DEFAULT_SLA } from '../../src/reports/sla-report.js';
import { testApp } from '../helpers/test-app.js';
import { HOUR, loadPortal } from './report-fixture.js';

const run = promisify(execFile);
const END = Math.floor(Date.now() / HOUR) * HOUR;
const DAY = 24 * HOUR;

describe('vigil report', () => {
  let vigil: VigilApp & { dataDir: string };
  let out: string;

  beforeAll(async () => {
    vigil = await testApp({}, { now: () => END });
    await loadPortal(vigil.store, 'learning-portal', END, 3);
    out = mkdtempSync(path.join(tmpdir(), 'vigil-report-out-'));
  }, 60_000);
  afterAll(async () => {
    await vigil?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('draws a progress bar', () => {
    expect(progressBar(1, 4, 'reading')).toBe(`\r[${'#'.repeat(8)}${'.'.repeat(22)}]  25 % reading`);
  });

  it('writes the same report as the API, with a progress bar on stderr for a 30-day range', async () => {
    const reports = new ReportService({
      store: vigil.store,
      sla: DEFAULT_SLA,
      detailedMillis: 90 * DAY,
      now: () => END,
    });
    let stderr = '';
    const file = path.join(out, 'perf.json');
    const lines = await runReportCommand(
      reports,
      'learning-portal',
      ['performance', '--from', String(END - 30 * DAY), '--to', String(END), '--format', 'json', '--out', file],
      { now: END, stderr: { write: (s: string) => (stderr += s) } },
    );
    expect(lines).toEqual([expect.stringMatching(/^Wrote performance report \(\d+ bytes\) to /)]);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const direct = await reports.build({
      kind: 'performance',
      project: 'learning-portal',
      from: END - 30 * DAY,
      to: END,
    });
    expect(report).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(stderr).toContain('] 100 % written');
    expect(stderr.split('\r').length).toBeGreaterThan(4);
  });

  it('runs as a program against the server data folder', async () => {
    const file = path.join(out, 'sla.pdf');
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'packages/server/src/cli.ts',
        'report',
        'sla',
        '--from',
        String(END - 3 * HOUR),
        '--to',
        String(END),
        '--format',
        'pdf',
        '--out',
        file,
      ],
      { env: { ...process.env, VIGIL_DATA_DIR: vigil.dataDir }, cwd: path.resolve(import.meta.dirname, '../../../..') },
    );
    expect(stdout).toMatch(/^Wrote sla report \(\d+ bytes\) to .*sla\.pdf\n$/);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
