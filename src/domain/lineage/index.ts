export * from './declarations';
export * from './lineage-graph';
export * from './family-graph';
export { externalNodeId, fnv1a64 } from './stable-id';
export { normalizeRepoName, LEGACY_MODEL_IDS } from './repo-names';
