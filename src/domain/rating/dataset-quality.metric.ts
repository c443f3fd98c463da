import { wordCount } from './card-text';
import type { DatasetEvidence, Evidence } from './evidence';
import { fmt, plural, unavailableResult, type MetricResult } from './metric';
import { namedDatasets } from './dataset-and-code.metric';

export const DATASET_QUALITY_WEIGHTS = { card: 0.3, license: 0.2, splits: 0.2, popularity: 0.3 } as const;
/** Card words at which the card points are full. */
export const DATASET_CARD_FULL_WORDS = 150;
/** Downloads at which the popularity points are full (log scale). */
export const DATASET_FULL_DOWNLOADS = 100_000;

interface Assessment {
  readonly name: string;
  readonly score: number;
  readonly parts: Readonly<Record<keyof typeof DATASET_QUALITY_WEIGHTS, number>>;
}

const assessed = (dataset: DatasetEvidence): boolean => dataset.unavailable === undefined
  && (dataset.found !== undefined || dataset.card !== undefined || dataset.downloads !== undefined || dataset.license !== undefined);

const CARD_SOURCES = { huggingface: 'the Hub', github: 'GitHub', registry: 'this registry' } as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Splits stated in structured card metadata (`dataset_info.splits`, `configs[].data_files[].split`). */
function structuredSplits(metadata: Readonly<Record<string, unknown>> | undefined): boolean {
  const infos = metadata?.['dataset_info'];
  const infoList = Array.isArray(infos) ? infos : [infos];
  if (infoList.some((info) => isRecord(info) && Array.isArray(info['splits']) && info['splits'].length > 0)) return true;
  const configs = metadata?.['configs'];
  return Array.isArray(configs) && configs.some((config) => isRecord(config) && Array.isArray(config['data_files'])
    && config['data_files'].some((files) => isRecord(files) && typeof files['split'] === 'string'));
}

function assess(dataset: DatasetEvidence): Assessment {
  const W = DATASET_QUALITY_WEIGHTS;
  if (dataset.found === false) return { name: dataset.name, score: 0, parts: { card: 0, license: 0, splits: 0, popularity: 0 } };
  const text = dataset.card?.text ?? '';
  const licenseId = dataset.license ?? (typeof dataset.card?.metadata['license'] === 'string' ? dataset.card.metadata['license'] : undefined);
  const proseSplits = /\bsplits?\b/i.test(text) && /\b(train|validation|test)\b/i.test(text);
  const parts = {
    card: W.card * Math.min(1, wordCount(text) / DATASET_CARD_FULL_WORDS),
    license: licenseId !== undefined && licenseId.toLowerCase() !== 'unknown' ? W.license : 0,
    splits: structuredSplits(dataset.card?.metadata) ? W.splits : proseSplits ? W.splits / 2 : 0,
    popularity: W.popularity * Math.min(1, Math.log10((dataset.downloads ?? 0) + 1) / Math.log10(DATASET_FULL_DOWNLOADS)),
  };
  return { name: dataset.name, score: parts.card + parts.license + parts.splits + parts.popularity, parts };
}

function describe(dataset: DatasetEvidence, assessment: Assessment): string {
  if (dataset.found === false) return `${dataset.name}: named but not found on the Hub (0)`;
  const facts = [
    dataset.card ? `card of ${plural(wordCount(dataset.card.text), 'word')}${dataset.cardSource ? ` (from ${CARD_SOURCES[dataset.cardSource]})` : ''}` : 'no card',
    assessment.parts.license > 0 ? 'license declared' : 'no license',
    assessment.parts.splits > 0 ? 'splits documented' : 'splits undocumented',
    `${(dataset.downloads ?? 0).toString()} downloads`,
  ];
  return `${dataset.name}: ${facts.join(', ')} (${fmt(assessment.score)})`;
}

/**
 * The average quality of the datasets the model names and that could be looked up: a real card, a
 * declared license, documented splits, and use by others. Not applicable (0) when no dataset is named;
 * not applicable with no value (-1) when datasets are named but none could be looked up (the upstream
 * failed, or the lookup budget was spent): missing evidence is not a bad dataset.
 */
export function datasetQuality(evidence: Evidence): MetricResult {
  const named = namedDatasets(evidence);
  const collected = (evidence.datasets ?? []).filter(assessed);
  const failed = (evidence.datasets ?? []).filter((dataset) => dataset.unavailable !== undefined);
  const failures = failed.slice(0, 5).map((dataset) => `${dataset.name} (${dataset.unavailable ?? ''})`);
  if (named.length === 0) {
    return { value: 0, applicable: false, inputs: { named, assessed: 0 }, explanation: ['the model names no dataset, so there is no dataset to judge'] };
  }
  if (collected.length === 0) {
    const reason = failed.length > 0
      ? `${plural(failed.length, 'dataset lookup')} failed: ${failures.join(', ')}`
      : `${plural(named.length, 'dataset')} named (${named.slice(0, 5).join(', ')}) but none was looked up`;
    return unavailableResult(reason, { named, assessed: 0 });
  }
  const assessments = collected.map(assess);
  const value = assessments.reduce((sum, item) => sum + item.score, 0) / assessments.length;
  const skipped = named.filter((name) => !collected.some((dataset) => dataset.name === name) && !failed.some((dataset) => dataset.name === name));
  return {
    value,
    applicable: true,
    inputs: { named, assessed: assessments.length, scores: Object.fromEntries(assessments.map((item) => [item.name, item.score])), notLookedUp: skipped, unavailable: failed.map((dataset) => dataset.name) },
    explanation: [
      `average over ${plural(assessments.length, 'dataset')}: ${fmt(value)}`,
      ...collected.slice(0, 10).map((dataset, index) => describe(dataset, assessments[index] as Assessment)),
      ...(failed.length > 0 ? [`not judged, the lookup failed: ${failures.join(', ')}`] : []),
      ...(skipped.length > 0 ? [`not looked up: ${skipped.slice(0, 5).join(', ')}`] : []),
    ],
  };
}
