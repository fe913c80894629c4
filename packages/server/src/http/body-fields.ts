import { VigilError } from '@vigil/schema';
import type { FastifyRequest } from 'fastify';

/**
 * The JSON object body of a request, or a coded 400. Field readers below name the field in the
 * error detail.
 *
 * @example
 * const body = jsonBody(request);
 * const name = requiredString(body, 'name', 64);
 */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * A required string field of at most `max` characters.
 *
 * @example
 * const label = requiredString(body, 'label', 128);
 */
export function requiredString(body: Record<string, unknown>, field: string, max: number): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '' || v.length > max) {
    throw new VigilError('VIGIL_ERR_INVALID_INPUT', `${field} must be a string of 1 to ${max} characters`);
  }
  return v;
}

/**
 * An optional string field; undefined when absent.
 *
 * @example
 * const environment = optionalString(body, 'environment', 64) ?? null;
 */
export function optionalString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  return body[field] === undefined ? undefined : requiredString(body, field, max);
}

/**
 * An optional boolean field.
 *
 * @example
 * const disabled = optionalBoolean(body, 'disabled');
 */
export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new VigilError('VIGIL_ERR_INVALID_INPUT', `${field} must be true or false`);
  return v;
}

/**
 * An optional integer field within bounds.
 *
 * @example
 * const days = optionalInteger(body, 'detailedDays', 1, 3650);
 */
export function optionalInteger(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new VigilError('VIGIL_ERR_INVALID_INPUT', `${field} must be an integer from ${min} to ${max}`);
  }
  return v;
}
