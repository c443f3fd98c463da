/**
 * The public API of the registry's pure domain, published as `@trustworthy-model-registry/domain`
 * (packages/domain). Everything here is deterministic and free of I/O: callers bring the evidence,
 * the registry's records and the clock. What is not exported here is internal and may change.
 * docs/domain.md documents each export with an example.
 */

// Rating: evidence in, contract ModelRating plus per-metric explanations out, and the trust bar.
export {
  rateModel,
  gateDecision,
  bestDevice,
  packageEvidence,
  cardEvidence,
  METRIC_NAMES,
  SIZE_DEVICES,
  EVIDENCE_SCHEMA_VERSION,
  DEFAULT_MIN_SCORE,
  type Evidence,
  type ModelEvidence,
  type CardEvidence,
  type DatasetEvidence,
  type CodeEvidence,
  type CommitEvidence,
  type PullRequestEvidence,
  type EvidenceFile,
  type ModelRating,
  type RatedModel,
  type RatingExplanation,
  type MetricExplanation,
  type MetricName,
  type MetricResult,
  type RatingContext,
  type ParentScore,
  type MonotonicClock,
  type SizeScore,
  type SizeDevice,
  type GateDecision,
  type GateFailure,
  type PackageEvidenceInput,
} from './rating';

// Lineage: parents declared by config.json, adapter_config.json and the card; the graph over them.
export {
  declaredParents,
  buildLineageGraph,
  findCycles,
  ancestorsOf,
  parentsOf,
  LINEAGE_LIMITS,
  type LineageInput,
  type DeclaredLineage,
  type LineageDeclaration,
  type LineageArtifact,
  type LineageResolver,
  type LineageGraph,
  type LineageNode,
  type LineageEdge,
  type LineageResult,
  type LineageLimits,
  type LineageRelationship,
  type DeclarationKind,
} from './lineage';

// Licensing: SPDX-aware identification and the fine-tune + inference compatibility rule.
export {
  normalizeLicense,
  normalizeGitHubLicense,
  normalizeHuggingFaceLicense,
  checkLicenseCompatibility,
  DEFAULT_LICENSE_USE,
  type NormalizedLicense,
  type LicenseCompatibility,
  type LicenseSide,
  type LicenseUse,
  type Confidence,
} from './licensing';

// Versions, source URLs, package classification and limits, cost.
export { parseVersion, parseVersionRange, versionsFromTags, type VersionRange } from './version';
export { parseSourceUrl, type SourceRef } from './source-url';
export { classifyPackageFile, parsePackagePart, PACKAGE_PARTS, type PackagePart } from './package-parts';
export { checkArchiveEntries, DEFAULT_PACKAGE_LIMITS, type ArchiveEntry, type PackageLimits } from './package-policy';
export { dependencyCost, standaloneCostMb, BYTES_PER_MB, type ArtifactCostMap, type DependencyEdges } from './cost';
export { DomainError, ErrorCode, isDomainError } from './errors';
export type { ArtifactType } from './artifact';
