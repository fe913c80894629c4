/**
 * A minimal Prometheus text-format registry for Vigil's own metrics (served at `/metrics`).
 * Label values are bounded by construction: callers pass codes from the error catalogue or
 * fixed result names, never client input.
 *
 * @example
 * const m = new SelfMetrics();
 * m.acceptedEvents.inc(100);
 * reply.send(m.render());
 */
export class SelfMetrics {
  readonly batches = new Counter('vigil_ingest_batches_total', 'Ingest requests by result.', 'result');
  readonly acceptedEvents = new Counter('vigil_ingest_events_accepted_total', 'Events acknowledged and made durable.');
  readonly rejectedEvents = new Counter(
    'vigil_ingest_events_rejected_total',
    'Events or requests rejected, by error code.',
    'code',
  );
  readonly batchSeconds = new Histogram(
    'vigil_ingest_batch_duration_seconds',
    'Time from request body received to answer.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly journalBacklog = new Gauge('vigil_journal_backlog_rows', 'Journal rows waiting for the pipeline.');
  readonly journalLagSeconds = new Gauge(
    'vigil_journal_lag_seconds',
    'Age of the oldest journal row waiting for the pipeline.',
  );
  readonly pipelineEvents = new Counter('vigil_pipeline_events_total', 'Events folded into rollups by the pipeline.');
  readonly pipelineErrors = new Counter(
    'vigil_pipeline_failures_total',
    'Pipeline steps that failed and will be retried.',
  );

  render(): string {
    const mem = process.memoryUsage();
    const lines = [
      this.batches.render(),
      this.acceptedEvents.render(),
      this.rejectedEvents.render(),
      this.batchSeconds.render(),
      this.journalBacklog.render(),
      this.journalLagSeconds.render(),
      this.pipelineEvents.render(),
      this.pipelineErrors.render(),
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A monotonically increasing counter, optionally with one label. */
export class Counter {
  readonly #values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly label?: string,
  ) {}

  inc(n = 1, labelValue = ''): void {
    this.#values.set(labelValue, (this.#values.get(labelValue) ?? 0) + n);
  }

  get(labelValue = ''): number {
    return this.#values.get(labelValue) ?? 0;
  }

  render(): string {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.#values.size === 0 && !this.label) out.push(`${this.name} 0`);
    for (const [k, v] of this.#values) {
      out.push(this.label ? `${this.name}{${this.label}="${escapeLabel(k)}"} ${v}` : `${this.name} ${v}`);
    }
    return out.join('\n');
  }
}

/** A value that goes up and down. */
export class Gauge {
  value = 0;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(v: number): void {
    this.value = v;
  }

  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.value}`].join('\n');
  }
}

/** A cumulative histogram with fixed buckets, in seconds. */
export class Histogram {
  readonly #counts: number[];
  #sum = 0;
  #count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.#counts = buckets.map(() => 0);
  }

  observe(seconds: number): void {
    this.#sum += seconds;
    this.#count++;
    for (let i = 0; i < this.buckets.length; i++) {
      if (seconds <= (this.buckets[i] as number)) {
        this.#counts[i] = (this.#counts[i] as number) + 1;
        break;
      }
    }
  }

  render(): string {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let cumulative = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      cumulative += this.#counts[i] as number;
      out.push(`${this.name}_bucket{le="${this.buckets[i]}"} ${cumulative}`);
    }
    out.push(
      `${this.name}_bucket{le="+Inf"} ${this.#count}`,
      `${this.name}_sum ${this.#sum}`,
      `${this.name}_count ${this.#count}`,
    );
    return out.join('\n');
  }
}
