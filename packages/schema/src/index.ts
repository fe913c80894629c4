export type {
  Alert,
  AlertHistoryEntry,
  AlertRule,
  AlertStatus,
  ChannelView,
  CreatedIngestKey,
  ErrorAnalysisResponse,
  ErrorGroup,
  ErrorGroupTotals,
  ErrorOccurrence,
  HealthCheckResult,
  HealthCheckView,
  HealthDocument,
  Incident,
  IncidentEvent,
  IngestKeyRow,
  Kpi,
  KpisResponse,
  MttrFigures,
  MttrResponse,
  PercentileRow,
  PercentilesResponse,
  Recommendation,
  RetentionSettings,
  Role,
  ScoreResponse,
  SeriesBucket,
  SeriesResponse,
  ServiceHealth,
  ServiceHistory,
  SessionInfo,
  TimeRange,
  TrendAnalysis,
  TrendResponse,
  TrendStat,
  UserChange,
  UserRow,
  UxResponse,
} from './api-types.js';
export type {
  AnalyzeOptions,
  DetectedIncident,
  DetectOptions,
  ErrorAnalysis,
  ErrorGroupSummary,
  Severity,
} from './error-analysis.js';
export {
  analyzeErrors,
  detectIncidents,
  errorRateSeverity,
  errorTrend,
  severityForKind,
} from './error-analysis.js';
export type { ErrorBody, ErrorCode } from './errors.js';
export { ERRORS, VigilError } from './errors.js';
export type {
  ActionEvent,
  ApiEvent,
  Attrs,
  AttrValue,
  BaseEvent,
  Batch,
  BatchSource,
  ErrorEvent,
  ErrorKind,
  EventType,
  GaugeEvent,
  HttpMethod,
  IngestAnswer,
  Phase,
  Platform,
  RatingEvent,
  RejectedEvent,
  SessionEvent,
  TimingEvent,
  VigilEvent,
  VitalEvent,
  VitalName,
} from './events.js';
export {
  ERROR_KINDS,
  EVENT_TYPES,
  HTTP_METHODS,
  KNOWN_PHASES,
  PLATFORMS,
  PROTOCOL_VERSION,
  VITAL_NAMES,
} from './events.js';
export type { ErrorFingerprint, FingerprintInput } from './fingerprint.js';
export { fingerprintError, normalizeMessage } from './fingerprint.js';
export { hash64, hash64Hex } from './hash64.js';
export type { LimitName } from './limits.js';
export { LIMITS } from './limits.js';
export { templateRoute } from './route-template.js';
export type { ValidatedBatch } from './validate.js';
export { cleanAttrs, cleanString, validateBatch } from './validate.js';
