// Shapes of the REST API's bodies, as openapi/openapi.yaml describes them (only what the UI reads).

export const ARTIFACT_TYPES = ['model', 'dataset', 'code'] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export const PACKAGE_PARTS = ['weights', 'datasets', 'code', 'docs'] as const;
export type PackagePart = (typeof PACKAGE_PARTS)[number];

export interface ArtifactMetadata {
  name: string;
  id: string;
  type: ArtifactType;
  /** Present when a listing was asked for it (`include=trust`). */
  trust?: TrustStanding;
}

export const TRUST_STANDINGS = ['meets', 'below', 'unrated'] as const;
/** Where an artifact stands against the trust bar; `unrated` for datasets, code and external references. */
export type TrustStanding = (typeof TRUST_STANDINGS)[number];

export interface TrustVerdict {
  meets_bar: boolean;
  threshold: number;
  failing: { metric: string; value: number }[];
  skipped: string[];
  /** The content scanner's part: a suspicious file keeps a model below the bar. */
  content?: { passing: boolean; summary: string };
}

export interface Artifact {
  metadata: ArtifactMetadata;
  data: { url: string; download_url?: string };
}

export interface ArtifactQuery {
  name: string;
  types?: ArtifactType[];
  version?: string;
  trust?: TrustStanding;
}

/** One page of a listing; `nextOffset` is the `offset` header, present when another page follows. */
export interface Page<T> {
  items: T[];
  nextOffset?: string;
}

export interface PackageBundle {
  sha256: string;
  size: number;
  file_count: number;
}

export interface PackageFile {
  path: string;
  size: number;
  part: PackagePart;
}

export interface ArtifactDetails extends Artifact {
  version?: string;
  source: { kind: 'upload' | 'url'; url?: string; filename?: string };
  /** False for an external reference: no package, and the download redirects to `reference.page`. */
  mirrored: boolean;
  reference?: { page: string; reason: string };
  trust?: TrustVerdict;
  package?: {
    sha256: string;
    size: number;
    file_count: number;
    parts: Partial<Record<PackagePart, PackageBundle>>;
    files: PackageFile[];
    files_truncated: boolean;
  };
  card_excerpt?: string;
  card_metadata?: Record<string, unknown>;
  created_at: string;
  created_by: string;
  updated_at: string;
  content_scan?: ContentScan;
  confusion?: ConfusionReport;
}

export type ScanVerdict = 'safe' | 'suspicious' | 'dangerous';

export interface FileScan {
  path: string;
  format: string;
  verdict: ScanVerdict;
  findings: { verdict: 'suspicious' | 'dangerous'; global?: string; message: string }[];
  globals?: string[];
}

export interface ContentScan {
  rules: string;
  scanned_at: string;
  verdict: ScanVerdict;
  files: FileScan[];
}

export interface ConfusionReport {
  score: number;
  resembles?: ArtifactMetadata;
  reasons: string[];
}

export type AuditAction = 'CREATE' | 'UPDATE' | 'DOWNLOAD' | 'RATE' | 'AUDIT';

export interface AuditEntry {
  user: { name: string; is_admin: boolean };
  date: string;
  artifact: ArtifactMetadata;
  action: AuditAction;
  detail?: string;
}

export const SIZE_DEVICES = ['raspberry_pi', 'jetson_nano', 'desktop_pc', 'aws_server'] as const;
export type SizeDevice = (typeof SIZE_DEVICES)[number];

/** The contract's rating: every metric with `<metric>_latency` in seconds. */
export type ModelRating = {
  name: string;
  category: string;
  size_score: Record<SizeDevice, number>;
} & Record<string, number | string | Record<SizeDevice, number>>;

export interface MetricExplanation {
  value: unknown;
  applicable: boolean;
  inputs: Record<string, unknown>;
  explanation: string[];
  latencySeconds?: number;
}

export interface RatingExplanation {
  rating: ModelRating;
  explanation: Record<string, MetricExplanation>;
  problems: string[];
}

export interface LineageNode {
  artifact_id: string;
  name: string;
  source: string;
  metadata?: { registered?: boolean; type?: ArtifactType; repository_url?: string; [key: string]: unknown };
}

export interface LineageEdge {
  from_node_artifact_id: string;
  to_node_artifact_id: string;
  relationship: string;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** Megabytes keyed by artifact id. */
export type ArtifactCost = Record<string, { standalone_cost?: number; total_cost: number }>;

export interface IdentifiedLicense {
  expression?: string;
  chosen?: string;
  source: string;
  confidence: 'exact' | 'corrected' | 'inferred' | 'unknown';
}

export interface LicenseCheckReport {
  compatible: boolean;
  github_url: string;
  use: { purpose: string; commercial: boolean; distribute: boolean };
  model_license: IdentifiedLicense;
  code_license: IdentifiedLicense;
  reasons: string[];
  obligations: string[];
}

export type HealthStatus = 'ok' | 'degraded' | 'critical' | 'unknown';

export interface HealthSummary {
  status: HealthStatus;
  checked_at: string;
  window_minutes: number;
  uptime_seconds?: number;
  version?: string;
  request_summary?: {
    window_start: string;
    window_end: string;
    total_requests?: number;
    per_route?: Record<string, number>;
    per_artifact_type?: Record<string, number>;
    unique_clients?: number;
  };
  components?: { id: string; display_name?: string; status: HealthStatus; issue_count?: number }[];
}

export interface HealthComponent {
  id: string;
  display_name?: string;
  status: HealthStatus;
  observed_at: string;
  description?: string;
  metrics?: Record<string, number | string | boolean>;
  issues?: { code: string; severity: 'info' | 'warning' | 'error'; summary: string; details?: string }[];
  timeline?: { bucket: string; value: number; unit?: string }[];
}

export interface HealthComponents {
  components: HealthComponent[];
  generated_at: string;
  window_minutes?: number;
}

/** The JSON error body every failure carries. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  request_id?: string;
}

/** `details` of a 424: the metrics below the registry's bar. */
export interface GateRefusal {
  threshold?: number;
  failing: { metric: string; value: number }[];
}

export const USER_PERMISSIONS = ['search', 'download', 'upload', 'admin'] as const;
export type UserPermission = (typeof USER_PERMISSIONS)[number];
export type PermissionFlags = Record<UserPermission, boolean>;

export interface UserAccount {
  name: string;
  permissions: PermissionFlags;
}

export interface ModelSensitivity {
  sensitive: boolean;
  hook_sha256?: string;
  set_by?: string;
  set_at?: string;
  /** Only for the model's uploader and administrators. */
  hook?: string;
}

export interface DownloadHistoryEntry extends AuditEntry {
  outcome: 'allowed' | 'refused' | 'failed';
  hook_output?: string;
}

export interface PerformanceRunRequest {
  clients?: number;
  duration_seconds?: number;
  requests?: number;
  artifact_id?: string;
  populate?: boolean | { models?: number; package_bytes?: number };
}

export interface LatencySummary {
  mean: number;
  median: number;
  p99: number;
  max: number;
  min: number;
}

export type RunStage = 'auth' | 'metadata' | 'storage' | 'audit' | 'server_other' | 'queue' | 'transfer';

export interface PerformanceRunResult {
  requests: number;
  succeeded: number;
  errors: number;
  errors_by_status: Record<string, number>;
  duration_seconds: number;
  bytes: number;
  throughput: { requests_per_second: number; megabytes_per_second: number };
  latency_ms: LatencySummary;
  ttfb_ms: LatencySummary;
  breakdown_ms: Record<RunStage, number>;
  timeline: { second: number; requests: number; errors: number; megabytes: number; mean_latency_ms: number }[];
}

export interface PerformanceRun {
  id: string;
  status: 'running' | 'completed' | 'failed';
  started_at: string;
  finished_at?: string;
  started_by: string;
  settings: { clients: number; duration_seconds?: number; requests?: number; artifact_id?: string; populate?: { models: number; package_bytes: number } };
  environment: {
    storage: 'memory' | 'local' | 's3';
    storage_endpoint?: 'aws' | 'custom';
    compute: string;
    node_version: string;
    platform: string;
    cpu_count: number;
    cpu_model: string;
    memory_bytes: number;
    production: boolean;
  };
  target?: { id: string; type: ArtifactType; name: string; size_bytes: number };
  progress: { phase: 'starting' | 'populating' | 'running' | 'finished'; elapsed_seconds: number; completed: number; errors: number; bytes: number; models?: number; models_wanted?: number };
  result?: PerformanceRunResult;
  failure?: string;
}

/** One staged change of a transaction (`index` from 0, in staging order). */
export interface StagedItem {
  index: number;
  action: 'create' | 'update' | 'delete';
  artifact: { metadata: ArtifactMetadata };
  trust?: TrustVerdict;
}

export interface Transaction {
  id: string;
  status: 'open' | 'committing' | 'committed' | 'aborted' | 'expired';
  created_by: string;
  created_at: string;
  expires_at: string;
  items: StagedItem[];
}

export interface CommittedTransaction {
  id: string;
  status: 'committed';
  artifacts: Artifact[];
  deleted: ArtifactMetadata[];
}
