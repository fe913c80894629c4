import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the dashboard (`packages/dashboard/dist`). */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));

/**
 * The dashboard's documents may load their own scripts, styles, images and fonts and talk to
 * this origin (API and live stream), nothing else; inline script stays forbidden.
 */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// Shown when the dashboard was never built, instead of a bare 404.
const NOT_BUILT =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Vigil</title>' +
  '<main><h1>Vigil</h1><p>The dashboard is not built. Run <code>npm run build</code> and reload.</p></main></html>';

function sendIndex(reply: FastifyReply, distDir: string): FastifyReply {
  const file = path.join(distDir, 'index.html');
  const html = existsSync(file) ? readFileSync(file) : NOT_BUILT;
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(html);
}

/**
 * The SPA fallback for the not-found handler: a browser `GET` of an unknown non-API path that
 * accepts HTML gets the dashboard's index (its client-side state lives in the URL). Answers
 * true when it replied.
 *
 * @example
 * app.setNotFoundHandler((req, reply) => spaFallback(req, reply) || sendError(reply, 'VIGIL_ERR_NOT_FOUND'));
 */
export function spaFallback(request: FastifyRequest, reply: FastifyReply, distDir = DASHBOARD_DIST): boolean {
  if (request.method !== 'GET') return false;
  const url = request.url;
  if (url.startsWith('/api/') || url.startsWith('/assets/') || url === '/metrics') return false;
  if (!String(request.headers.accept ?? '').includes('text/html')) return false;
  sendIndex(reply, distDir);
  return true;
}

/**
 * Serves the built dashboard: `/` (its index) and `/assets/:file` (Vite's hashed files, cached
 * for a year since the name changes with the content). Public: the documents hold no data;
 * every API call they make is authenticated.
 *
 * @example
 * await app.register(staticRoutes, { distDir: DASHBOARD_DIST });
 */
export async function staticRoutes(app: FastifyInstance, opts: { distDir?: string } = {}): Promise<void> {
  const distDir = opts.distDir ?? DASHBOARD_DIST;
  const assets = path.join(distDir, 'assets');

  app.get('/', { config: { access: 'public' } }, async (_request, reply) => sendIndex(reply, distDir));

  app.get('/assets/:file', { config: { access: 'public' } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    // Flat names only: no traversal, no dot files.
    const type = TYPES[path.extname(file)];
    const full = path.join(assets, file);
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.') || type === undefined || !existsSync(full)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    }
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'same-origin')
      .type(type)
      .send(readFileSync(full));
  });
}
