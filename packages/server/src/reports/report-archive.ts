import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One kept report file. */
export interface ArchivedReport {
  /** `<schedule>-<period start, epoch ms>`: one file per schedule and period. */
  id: string;
  schedule: string;
  kind: string;
  format: string;
  from: number;
  to: number;
  generatedAt: number;
  fileName: string;
  contentType: string;
  bytes: number;
}

const ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

/**
 * Generated scheduled reports kept for download, as files in `<dataDir>/reports` (the body and a
 * `.json` description beside it). Writes go to a temp name and are renamed, so a reader never
 * sees half a file.
 *
 * @example
 * const archive = new ReportArchive(path.join(config.dataDir, 'reports'));
 * await archive.put(meta, pdf);
 */
export class ReportArchive {
  constructor(private readonly dir: string) {}

  async put(meta: ArchivedReport, body: Buffer): Promise<void> {
    if (!ID.test(meta.id)) throw new Error(`bad report id ${meta.id}`);
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, meta.id);
    await writeFile(`${file}.tmp`, body);
    await rename(`${file}.tmp`, `${file}.bin`);
    await writeFile(`${file}.json.tmp`, JSON.stringify(meta));
    await rename(`${file}.json.tmp`, `${file}.json`);
  }

  /** The description of one kept report, or null. */
  async meta(id: string): Promise<ArchivedReport | null> {
    if (!ID.test(id)) return null;
    try {
      return JSON.parse(await readFile(path.join(this.dir, `${id}.json`), 'utf8')) as ArchivedReport;
    } catch {
      return null;
    }
  }

  /** One kept report with its bytes, or null. */
  async get(id: string): Promise<{ meta: ArchivedReport; body: Buffer } | null> {
    const meta = await this.meta(id);
    if (meta === null) return null;
    return { meta, body: await readFile(path.join(this.dir, `${id}.bin`)) };
  }

  /** Every kept report, newest first. */
  async list(): Promise<ArchivedReport[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const metas = await Promise.all(
      names.filter((n) => n.endsWith('.json')).map((n) => this.meta(n.slice(0, -'.json'.length))),
    );
    return metas
      .filter((m): m is ArchivedReport => m !== null)
      .sort((a, b) => b.generatedAt - a.generatedAt || (a.id < b.id ? 1 : -1));
  }
}
