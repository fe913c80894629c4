/** Pipeline settings (the `pipeline` section of the configuration). */
export interface PipelineOptions {
  intervalMillis: number;
  rowsPerStep: number;
  maxNamesPerMetric: number;
  /** Run the pipeline in a worker thread with its own store connection (default true). */
  worker?: boolean;
}

/** What the app needs from a pipeline, in-process or in a worker thread. */
export interface PipelineRunner {
  /** Last known journal backlog, for the collector's overload check and `/metrics`. */
  readonly backlogRows: number;
  /** Called after each run that emptied the journal: new rollups are readable (alerting evaluates). */
  onRun: () => void;
  start(): void;
  kick(): void;
  /** Resolves when the journal is empty. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}
