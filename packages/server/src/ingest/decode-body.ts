import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { LIMITS, VigilError } from '@vigil/schema';

const gunzipAsync = promisify(gunzip);

/**
 * Turns a raw ingest body into parsed JSON: checks the media type and encoding, decompresses
 * gzip with a hard output limit (a gzip bomb stops at {@link LIMITS.maxBodyBytes}), refuses
 * invalid UTF-8 instead of silently replacing it, and maps every failure to a coded error.
 *
 * @example
 * const json = await decodeBody(buffer, 'application/json', 'gzip');
 */
export async function decodeBody(
  raw: Buffer,
  contentType: string | undefined,
  contentEncoding: string | undefined,
): Promise<unknown> {
  const media = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (media !== 'application/json' && media !== 'text/plain') {
    throw new VigilError('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE', `content-type ${media || '(none)'} is not accepted`);
  }
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new VigilError('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE', 'only the utf-8 charset is accepted');
  }
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let body = raw;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      body = await gunzipAsync(raw, { maxOutputLength: LIMITS.maxBodyBytes });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new VigilError(
          'VIGIL_ERR_BODY_TOO_LARGE',
          `the body decompresses to more than ${LIMITS.maxBodyBytes} bytes`,
          { cause: e },
        );
      }
      throw new VigilError('VIGIL_ERR_BAD_GZIP', undefined, { cause: e });
    }
  } else if (encoding !== 'identity') {
    throw new VigilError('VIGIL_ERR_UNSUPPORTED_ENCODING', `content-encoding ${encoding.slice(0, 32)} is not accepted`);
  }
  if (body.length > LIMITS.maxBodyBytes) {
    throw new VigilError('VIGIL_ERR_BODY_TOO_LARGE', `the body is larger than ${LIMITS.maxBodyBytes} bytes`);
  }
  if (!isUtf8(body)) throw new VigilError('VIGIL_ERR_INVALID_UTF8');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    // SyntaxError for bad JSON, RangeError for nesting deeper than the parser's stack.
    throw new VigilError('VIGIL_ERR_MALFORMED_JSON', undefined, { cause: e });
  }
}
