import { ERRORS, type ErrorBody, type ErrorCode, VigilError } from '@vigil/schema';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Fastify's own error codes that a client can cause, mapped to the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'VIGIL_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VIGIL_ERR_INVALID_BATCH',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VIGIL_ERR_MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VIGIL_ERR_MALFORMED_JSON',
  FST_ERR_VALIDATION: 'VIGIL_ERR_INVALID_QUERY',
  FST_ERR_BAD_URL: 'VIGIL_ERR_NOT_FOUND',
  FST_ERR_ASYNC_CONSTRAINT: 'VIGIL_ERR_INVALID_QUERY',
};

/**
 * Sends a coded error. Only catalogue messages and VigilError details reach the client —
 * never an internal message or a stack.
 */
export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  retryAfterSeconds?: number,
): FastifyReply {
  const body: ErrorBody = { error: { code, message: ERRORS[code].message } };
  if (detail !== undefined) body.error.detail = detail;
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  return reply.code(ERRORS[code].status).type('application/json; charset=utf-8').send(body);
}

/**
 * Installs the error and not-found handlers that turn everything into catalogue errors.
 * `notFound` may answer an unknown URL first (the dashboard's SPA fallback) and return true.
 */
export function installErrorHandling(
  app: FastifyInstance,
  notFound?: (request: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (error instanceof VigilError) {
      if (error.status >= 500) request.log.warn({ err: error.cause ?? error, code: error.code }, 'request failed');
      return sendError(reply, error.code, error.detail, error.retryAfterSeconds);
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendError(reply, mapped, mapped === 'VIGIL_ERR_INVALID_QUERY' ? error.message : undefined);
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // A client error Fastify raised that the table does not know: keep the status, hide the text.
      request.log.info({ err: error }, 'client error');
      return sendError(reply, error.statusCode === 404 ? 'VIGIL_ERR_NOT_FOUND' : 'VIGIL_ERR_INVALID_BATCH');
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'VIGIL_ERR_INTERNAL');
  });
  app.setNotFoundHandler((request, reply) => {
    if (notFound?.(request, reply)) return reply;
    return sendError(reply, 'VIGIL_ERR_NOT_FOUND');
  });
}
