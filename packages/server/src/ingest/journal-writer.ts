import { VigilError } from '@vigil/schema';
import type { AppendOutcome, JournalEntry, Store } from '../store/store.js';

interface Pending {
  entry: JournalEntry;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the journal: batches arriving while a transaction is in flight wait and go
 * into the next one, so the store sees one transaction per burst instead of one per request.
 * Every caller's promise settles only after its own transaction committed (acknowledged means
 * durable), or rejects with a coded 503 when the store failed (nothing acknowledged). A store
 * that takes concurrent writers (PostgreSQL) gets several transactions in flight, so commit
 * round trips overlap; SQLite gets one at a time.
 *
 * @example
 * const outcome = await writer.append(entry);
 */
export class JournalWriter {
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** Called after each successful commit with the number of batches stored (not duplicates). */
  onCommit: (stored: number) => void = () => {};

  readonly #maxConcurrentCommits: number;

  constructor(
    private readonly store: Store,
    private readonly maxBatchesPerCommit: number,
    private readonly maxPending: number,
  ) {
    this.#maxConcurrentCommits = store.supportsConcurrentWriters ? 4 : 1;
  }

  /** Batches accepted but not yet committed. */
  get pending(): number {
    return this.#queue.length;
  }

  append(entry: JournalEntry): Promise<AppendOutcome> {
    if (this.#queue.length >= this.maxPending) {
      return Promise.reject(
        new VigilError('VIGIL_ERR_OVERLOADED', `${this.#queue.length} batches are waiting to be stored`, {
          retryAfterSeconds: 1,
        }),
      );
    }
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when everything queued so far has been committed or failed. */
  async drain(): Promise<void> {
    while (this.#inFlight > 0 || this.#queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxConcurrentCommits || this.#queue.length === 0) return;
    this.#scheduled = true;
    // Let the requests already parsed in this turn of the event loop join the transaction.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#commitNext();
    });
  }

  async #commitNext(): Promise<void> {
    if (this.#queue.length === 0 || this.#inFlight >= this.#maxConcurrentCommits) return;
    this.#inFlight++;
    const group = this.#queue.splice(0, this.maxBatchesPerCommit);
    // More waiting than one commit takes: start the next one alongside, when the store allows.
    this.#schedule();
    try {
      const outcomes = await this.store.appendBatches(group.map((p) => p.entry));
      let stored = 0;
      for (let i = 0; i < group.length; i++) {
        const outcome = outcomes[i] as AppendOutcome;
        if (!outcome.duplicate) stored++;
        group[i]?.resolve(outcome);
      }
      this.onCommit(stored);
    } catch (e) {
      const error = new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', undefined, { cause: e, retryAfterSeconds: 2 });
      for (const p of group) p.reject(error);
    } finally {
      this.#inFlight--;
      this.#schedule();
    }
  }
}
