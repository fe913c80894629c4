/** Why a read call returned no data. `code` is a collector code (`VIGIL_ERR_*`) or an SDK one (`VIGIL_SDK_*`). */
export interface ReadError {
  code: string;
  /** HTTP status; 0 when no answer arrived. */
  status: number;
  message: string;
}

/**
 * The outcome of a read call: never a thrown error. A collector without the route answers
 * `{ ok: false, error: { code: 'VIGIL_ERR_NOT_FOUND', status: 404 } }`; a missing or wrong read
 * token gives `VIGIL_ERR_UNAUTHENTICATED` / `VIGIL_ERR_FORBIDDEN`. An answer without a coded
 * error body gives `VIGIL_SDK_HTTP_<status>`; no answer gives `VIGIL_SDK_NETWORK`.
 *
 * @example
 * const health = await ApplicationMonitor.getInstance().getHealthStatus();
 * if (health.ok) console.log(health.data.status); else console.warn(health.error.code);
 */
export type ReadResult<T> = { ok: true; data: T } | { ok: false; error: ReadError };

/** `GET /api/v1/health`: the overall status and whatever checks the collector reports. */
export interface HealthStatus {
  status: string;
  [key: string]: unknown;
}

/** `GET /api/v1/kpis`: the KPI dashboard as the collector computes it. */
export interface KpiDashboard {
  [key: string]: unknown;
}

/** `GET /api/v1/score`: the 0–100 performance score and its breakdown. */
export interface PerformanceScore {
  score: number;
  [key: string]: unknown;
}
