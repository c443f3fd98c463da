import { isLocalDirectoryName, LEGACY_MODEL_IDS, normalizeRepoName } from './repo-names';

export type DeclarationKind = 'model' | 'dataset' | 'code';
export type LineageSource = 'config_json' | 'adapter_config_json' | 'model_card';
export const MODEL_RELATIONS = ['finetune', 'adapter', 'quantized', 'merge'] as const;
export type ModelRelation = (typeof MODEL_RELATIONS)[number];
export type LineageRelationship = 'base_model' | ModelRelation | 'training_dataset' | 'fine_tuning_dataset' | 'training_code';

/** One parent an artifact's own metadata names. */
export interface LineageDeclaration {
  /** A Hub repository id (`owner/name`, or a legacy id), or `owner/name` on GitHub for code. */
  readonly name: string;
  readonly kind: DeclarationKind;
  readonly relationship: LineageRelationship;
  readonly source: LineageSource;
  /** Other metadata files that name the same parent. */
  readonly alsoDeclaredBy?: readonly LineageSource[];
}

/** A field that should name a parent but cannot be read; the lineage route answers 400 when nothing else is usable. */
export interface MalformedMetadata {
  readonly source: LineageSource;
  readonly field: string;
  readonly problem: string;
}

/** A well-formed value that names no repository (a local path, the model itself). */
export interface IgnoredValue {
  readonly source: LineageSource;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

export interface LineageInput {
  /** The artifact's own repository id, so self-references are not taken for parents. */
  readonly repo?: string;
  readonly aliases?: readonly string[];
  /** config.json, adapter_config.json and the card's front matter, as parsed (any JSON value). */
  readonly config?: unknown;
  readonly adapterConfig?: unknown;
  readonly cardMetadata?: unknown;
  /** The package's file paths: GGUF files make an unlabelled base model a quantisation. */
  readonly files?: readonly { readonly path: string }[];
  /** Code repositories linked as the model's code (see chooseCodeRepository). */
  readonly codeRepos?: readonly string[];
}

export interface DeclaredLineage {
  readonly declarations: readonly LineageDeclaration[];
  readonly malformed: readonly MalformedMetadata[];
  readonly ignored: readonly IgnoredValue[];
  /** Which metadata files were present at all; none present means lineage metadata is missing. */
  readonly sources: readonly LineageSource[];
}

/** At most this many parents per field: a merge of dozens of models is real, thousands is an attack. */
export const MAX_DECLARATIONS_PER_FIELD = 32;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

class Collector {
  readonly declarations: LineageDeclaration[] = [];
  readonly malformed: MalformedMetadata[] = [];
  readonly ignored: IgnoredValue[] = [];

  constructor(private readonly input: LineageInput) {}

  isSelf(name: string): boolean {
    const repo = this.input.repo?.toLowerCase();
    if (repo === undefined) return false;
    const lower = name.toLowerCase();
    const own = [repo, ...(this.input.aliases ?? []).map((alias) => alias.toLowerCase())];
    // A legacy id such as `bert-base-uncased` is the same model as `google-bert/bert-base-uncased`.
    return own.includes(lower) || (!lower.includes('/') && lower === repo.slice(repo.lastIndexOf('/') + 1));
  }

  add(raw: unknown, field: string, source: LineageSource, kind: DeclarationKind, relationship: LineageRelationship, strict: boolean): void {
    if (typeof raw !== 'string') {
      this.malformed.push({ source, field, problem: `expected a repository id (string), got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}` });
      return;
    }
    const name = normalizeRepoName(raw, kind);
    if (name === undefined) {
      if (strict) this.malformed.push({ source, field, problem: `"${raw.slice(0, 100)}" is not a repository id` });
      else this.ignored.push({ source, field, value: raw.slice(0, 200), reason: 'a local path, not a repository' });
      return;
    }
    if (kind === 'model' && this.isSelf(name)) {
      this.ignored.push({ source, field, value: name, reason: 'names the model itself' });
      return;
    }
    const existing = this.declarations.findIndex((item) => item.kind === kind && item.name.toLowerCase() === name.toLowerCase());
    const current = this.declarations[existing];
    if (current === undefined) this.declarations.push({ name, kind, relationship, source });
    else if (current.source !== source && !current.alsoDeclaredBy?.includes(source)) {
      this.declarations[existing] = { ...current, alsoDeclaredBy: [...(current.alsoDeclaredBy ?? []), source] };
    }
  }

  addAll(raw: unknown, field: string, source: LineageSource, kind: DeclarationKind, relationship: LineageRelationship): void {
    const items = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
    if (items === undefined) {
      this.malformed.push({ source, field, problem: `expected a repository id or a list of them, got ${raw === null ? 'null' : typeof raw}` });
      return;
    }
    if (items.length > MAX_DECLARATIONS_PER_FIELD) this.malformed.push({ source, field, problem: `lists ${items.length} entries; only the first ${MAX_DECLARATIONS_PER_FIELD} are read` });
    items.slice(0, MAX_DECLARATIONS_PER_FIELD).forEach((item, index) => this.add(item, `${field}[${index}]`, source, kind, relationship, true));
  }
}

function cardRelation(card: Record<string, unknown>, input: LineageInput, baseCount: number, collector: Collector): ModelRelation {
  const declared = card['base_model_relation'];
  if (typeof declared === 'string' && (MODEL_RELATIONS as readonly string[]).includes(declared)) return declared as ModelRelation;
  if (declared !== undefined) collector.malformed.push({ source: 'model_card', field: 'base_model_relation', problem: `must be one of ${MODEL_RELATIONS.join(', ')}; got ${JSON.stringify(declared)?.slice(0, 60)}` });
  // The Hub's own inference when the relation is not stated.
  if (input.adapterConfig !== undefined) return 'adapter';
  if ((input.files ?? []).some((file) => /\.gguf$/i.test(file.path))) return 'quantized';
  return baseCount > 1 ? 'merge' : 'finetune';
}

function fromCard(collector: Collector, input: LineageInput): void {
  const card = input.cardMetadata;
  if (!isRecord(card)) {
    collector.malformed.push({ source: 'model_card', field: '(front matter)', problem: 'card metadata is not a mapping' });
    return;
  }
  const base = card['base_model'];
  if (base !== undefined && base !== null) {
    const count = Array.isArray(base) ? base.length : 1;
    collector.addAll(base, 'base_model', 'model_card', 'model', cardRelation(card, input, count, collector));
  }
}

// Read last: datasets of a model that has a parent are the ones it was fine-tuned on.
function fromCardDatasets(collector: Collector, card: unknown): void {
  if (!isRecord(card) || card['datasets'] === undefined || card['datasets'] === null) return;
  const fineTuned = collector.declarations.some((item) => item.kind === 'model');
  collector.addAll(card['datasets'], 'datasets', 'model_card', 'dataset', fineTuned ? 'fine_tuning_dataset' : 'training_dataset');
}

function fromAdapterConfig(collector: Collector, adapterConfig: unknown): void {
  if (!isRecord(adapterConfig)) {
    collector.malformed.push({ source: 'adapter_config_json', field: '(file)', problem: 'adapter_config.json is not a JSON object' });
    return;
  }
  collector.add(adapterConfig['base_model_name_or_path'], 'base_model_name_or_path', 'adapter_config_json', 'model', 'adapter', true);
}

function fromConfig(collector: Collector, config: unknown): void {
  if (!isRecord(config)) {
    collector.malformed.push({ source: 'config_json', field: '(file)', problem: 'config.json is not a JSON object' });
    return;
  }
  const nameOrPath = config['_name_or_path'];
  if (nameOrPath === undefined || nameOrPath === '') return;
  if (typeof nameOrPath === 'string' && !nameOrPath.includes('/') && !LEGACY_MODEL_IDS.has(nameOrPath.toLowerCase()) && !collector.isSelf(nameOrPath)) {
    collector.ignored.push({ source: 'config_json', field: '_name_or_path', value: nameOrPath.slice(0, 200), reason: 'a bare name that is no known Hub id: most likely a local directory' });
    return;
  }
  if (typeof nameOrPath === 'string' && isLocalDirectoryName(nameOrPath)) {
    collector.ignored.push({ source: 'config_json', field: '_name_or_path', value: nameOrPath.slice(0, 200), reason: 'a local path, not a repository' });
    return;
  }
  collector.add(nameOrPath, '_name_or_path', 'config_json', 'model', 'base_model', false);
}

/**
 * The parents an artifact's own metadata declares: card `base_model` (with `base_model_relation`) and
 * `datasets`, adapter_config.json `base_model_name_or_path`, config.json `_name_or_path` when it names
 * a repository, and linked code. The card is read first, so its explicit relation wins when several
 * files name the same parent (the others are kept in `alsoDeclaredBy`).
 */
export function declaredParents(input: LineageInput): DeclaredLineage {
  const collector = new Collector(input);
  const sources: LineageSource[] = [];
  if (input.cardMetadata !== undefined) {
    sources.push('model_card');
    fromCard(collector, input);
  }
  if (input.adapterConfig !== undefined) {
    sources.push('adapter_config_json');
    fromAdapterConfig(collector, input.adapterConfig);
  }
  if (input.config !== undefined) {
    sources.push('config_json');
    fromConfig(collector, input.config);
  }
  if (input.cardMetadata !== undefined) fromCardDatasets(collector, input.cardMetadata);
  for (const repo of (input.codeRepos ?? []).slice(0, MAX_DECLARATIONS_PER_FIELD)) collector.add(repo, 'linked code', 'model_card', 'code', 'training_code', true);
  return { declarations: collector.declarations, malformed: collector.malformed, ignored: collector.ignored, sources };
}
