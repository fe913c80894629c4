import { VigilError } from '@vigil/schema';
import type { FastifyRequest } from 'fastify';
import { hashCredential } from '../access/credentials.js';
import type { Store } from '../store/store.js';

/**
 * Checks `Authorization: Bearer <token>` against the stored admin tokens. Answers are cached
 * for a few seconds so reads do not cost a store query each; a revoked token stops working
 * within `cacheMillis`.
 *
 * @example
 * app.addHook('preHandler', (req) => auth.require(req));
 */
export class AdminAuth {
  readonly #cache = new Map<string, { ok: boolean; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly cacheMillis = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async require(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new VigilError('VIGIL_ERR_UNAUTHENTICATED');
    const hash = hashCredential(match[1] as string);
    const t = this.now();
    let entry = this.#cache.get(hash);
    if (entry === undefined || t - entry.at > this.cacheMillis) {
      const token = await this.store.findToken(hash);
      entry = { ok: token !== null && token.role === 'admin', at: t };
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(hash, entry);
    }
    if (!entry.ok) throw new VigilError('VIGIL_ERR_UNAUTHENTICATED');
  }
}
