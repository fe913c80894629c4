import type { FastifyReply, FastifyRequest } from 'fastify';
import { overTls } from './request-context.js';

/**
 * Security headers on every answer: no MIME sniffing, no referrer, no framing (CSP
 * `frame-ancestors` and the legacy X-Frame-Options), a CSP that allows nothing (API answers
 * are data, never documents), cross-origin isolation of responses, and HSTS when the request
 * came over TLS (never over plain HTTP, where it would be meaningless or pin a wrong host).
 *
 * @example
 * app.addHook('onSend', async (request, reply) => setSecurityHeaders(request, reply, false));
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply, trustProxy: boolean): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  if (!reply.hasHeader('content-security-policy')) {
    reply.header(
      'content-security-policy',
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  }
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (overTls(request, trustProxy)) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
