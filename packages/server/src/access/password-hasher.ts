import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** OWASP's scrypt recommendation (Password Storage Cheat Sheet): N=2^17, r=8, p=1. */
export const OWASP_SCRYPT = { logN: 17, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  // 128 · N · r bytes are needed; Node's default maxmem (32 MiB) is below the OWASP cost.
  const maxmem = 256 * 2 ** logN * r;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: 2 ** logN, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes and verifies passwords with scrypt on libuv's thread pool (never on the event loop).
 * At most `maxConcurrent` derivations run at once: each needs 128 MiB at the OWASP cost, and a
 * burst of logins must not exhaust memory or the thread pool that file I/O also uses.
 * Hashes carry their parameters (`scrypt$17$8$1$salt$key`), so the cost can be raised later.
 *
 * @example
 * const hasher = new PasswordHasher();
 * const stored = await hasher.hash('correct horse battery staple');
 * await hasher.verify('correct horse battery staple', stored); // true
 */
export class PasswordHasher {
  readonly #waiting: Array<() => void> = [];
  #running = 0;
  #dummy: Promise<string> | undefined;

  constructor(
    readonly logN: number = OWASP_SCRYPT.logN,
    private readonly maxConcurrent = 2,
  ) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.#limited(() => derive(password, salt, this.logN, OWASP_SCRYPT.r, OWASP_SCRYPT.p));
    return `scrypt$${this.logN}$${OWASP_SCRYPT.r}$${OWASP_SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** True when `password` matches `stored`. A malformed `stored` never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [logN, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0 && n <= 24)) return false;
    const salt = Buffer.from(parts[4] as string, 'base64');
    const expected = Buffer.from(parts[5] as string, 'base64');
    const key = await this.#limited(() => derive(password, salt, logN, r, p));
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * Spends the same work as a real check against a hash of nothing in particular: used for
   * unknown and disabled users so that their answers take as long as a wrong password.
   */
  async verifyDummy(password: string): Promise<false> {
    this.#dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(password, await this.#dummy);
    return false;
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.maxConcurrent) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
