import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Name of the session cookie over plain HTTP (a `__Host-` cookie needs `Secure`, hence TLS). */
export const SESSION_COOKIE = 'vigil_session';
/** Name of the session cookie over TLS: the prefix pins it to this host, path `/`, secure. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/**
 * True when the request reached us over TLS, or — only when `trustProxy` is set — when the
 * proxy in front says so with `X-Forwarded-Proto: https`.
 *
 * @example
 * if (overTls(request, config.trustProxy)) reply.header('strict-transport-security', 'max-age=31536000');
 */
export function overTls(request: FastifyRequest, trustProxy: boolean): boolean {
  if ((request.raw.socket as TLSSocket | undefined)?.encrypted === true) return true;
  if (!trustProxy) return false;
  const proto = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/**
 * `scheme://host` of this server as the client addressed it.
 *
 * @example
 * ownOrigin(request, false); // 'http://vigil.example:4600'
 */
export function ownOrigin(request: FastifyRequest, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? request.headers['x-forwarded-host'] : undefined;
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? request.headers.host;
  if (host === undefined || host === '') return undefined;
  return `${overTls(request, trustProxy) ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/**
 * The value of one cookie, or undefined.
 *
 * @example
 * readCookie(request, 'vigil_session');
 */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The session id from whichever session cookie the request carries.
 *
 * @example
 * const sessionId = sessionIdFrom(request, config.trustProxy);
 */
export function sessionIdFrom(request: FastifyRequest, trustProxy: boolean): string | undefined {
  const value = overTls(request, trustProxy)
    ? (readCookie(request, SECURE_SESSION_COOKIE) ?? readCookie(request, SESSION_COOKIE))
    : readCookie(request, SESSION_COOKIE);
  return value !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

/**
 * The Bearer credential of the Authorization header, or undefined.
 *
 * @example
 * bearerFrom(request); // 'vt_…', '' for a malformed header, undefined without one
 */
export function bearerFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? (m[1] as string) : '';
}

/**
 * Sets (or, with `sessionId` null, clears) the session cookie: `HttpOnly; SameSite=Strict;
 * Path=/`, plus `Secure` and the `__Host-` name over TLS. No `Max-Age`: the server-side idle and
 * absolute timeouts decide how long a session lives, and the cookie dies with the browser.
 *
 * @example
 * setSessionCookie(request, reply, sessionId, config.trustProxy);
 */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string | null,
  trustProxy: boolean,
): void {
  const tls = overTls(request, trustProxy);
  const name = tls ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  const attributes = ['HttpOnly', 'SameSite=Strict', 'Path=/'];
  if (tls) attributes.push('Secure');
  if (sessionId === null) attributes.push('Max-Age=0');
  reply.header('set-cookie', `${name}=${sessionId ?? ''}; ${attributes.join('; ')}`);
}
