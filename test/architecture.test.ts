import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|tsx|mjs)$/.test(entry)) out.push(full);
  }
  return out;
}

const PACKAGES = readdirSync(path.join(ROOT, 'packages')).filter((p) => {
  try {
    return statSync(path.join(ROOT, 'packages', p, 'src')).isDirectory();
  } catch {
    return false;
  }
});
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

/** Which workspace packages a package may import (dependencies point one way). */
const ALLOWED: Record<string, string[]> = {
  schema: [],
  sdk: ['@vigil/schema'],
  server: ['@vigil/schema', '@vigil/simulator'],
  dashboard: ['@vigil/schema'],
};

describe('architecture', () => {
  it("no package imports another package it may not depend on, nor another package's files", () => {
    const problems: string[] = [];
    for (const pkg of PACKAGES) {
      for (const file of sources(path.join(ROOT, 'packages', pkg, 'src'))) {
        for (const spec of importsOf(file)) {
          const rel = path.relative(ROOT, file);
          if (spec.startsWith('@vigil/')) {
            const name = spec.split('/').slice(0, 2).join('/');
            if (!(ALLOWED[pkg] ?? []).includes(name) || spec !== name) problems.push(`${rel} imports ${spec}`);
          } else if (spec.startsWith('.')) {
            const target = path.resolve(path.dirname(file), spec);
            if (!target.startsWith(path.join(ROOT, 'packages', pkg, 'src')))
              problems.push(`${rel} reaches outside its package: ${spec}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no circular imports inside a package', () => {
    const cycles: string[] = [];
    for (const pkg of PACKAGES) {
      const files = sources(path.join(ROOT, 'packages', pkg, 'src'));
      const graph = new Map<string, string[]>();
      for (const file of files) {
        const deps = importsOf(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'))
          .filter((t) => files.includes(t));
        graph.set(file, deps);
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (node: string, trail: string[]): void => {
        if (state.get(node) === 'done') return;
        if (state.get(node) === 'visiting') {
          cycles.push([...trail.slice(trail.indexOf(node)), node].map((f) => path.relative(ROOT, f)).join(' → '));
          return;
        }
        state.set(node, 'visiting');
        for (const dep of graph.get(node) ?? []) visit(dep, [...trail, node]);
        state.set(node, 'done');
      };
      for (const file of files) visit(file, []);
    }
    expect(cycles).toEqual([]);
  });
});
