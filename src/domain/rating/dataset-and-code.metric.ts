import { isSubtreeFilled, parseCard } from './card-text';
import type { Evidence, EvidenceFile } from './evidence';
import { plural, type MetricResult } from './metric';

const SOURCE_EXTENSIONS = /\.(py|ipynb|sh|js|ts|c|cc|cpp|h|hpp|cu|rs|go|java|jl|r|lua|swift|kt|scala|rb)$/i;
const DATA_TITLE = /training data|pre-?training data|datasets?\b|corpus|model data/i;
const EXAMPLE_CODE = /from_pretrained\(|pipeline\(|SentenceTransformer\(|hf_hub_download\(|import torch|import tensorflow/;

/** Source files shipped in the package itself (configs and tokenizers are not source code). */
export const sourceFiles = (files: readonly EvidenceFile[]): EvidenceFile[] => files.filter((file) => SOURCE_EXTENSIONS.test(file.path));

/** Datasets the model names: collected dataset evidence, card `datasets`, and `dataset:` tags. */
export function namedDatasets(evidence: Evidence): string[] {
  const fromCard = evidence.card?.metadata['datasets'];
  const card = typeof fromCard === 'string' ? [fromCard] : Array.isArray(fromCard) ? fromCard.filter((item): item is string => typeof item === 'string') : [];
  const tags = (evidence.model.tags ?? []).filter((tag) => tag.startsWith('dataset:')).map((tag) => tag.slice('dataset:'.length));
  const names = [...(evidence.datasets ?? []).map((dataset) => dataset.name), ...card, ...tags].map((name) => name.trim()).filter((name) => name !== '');
  return [...new Set(names)].slice(0, 100);
}

/**
 * Whether a user could retrace how the model was made: half for the training data (named Hub
 * datasets; a quarter when only described in prose), half for code (a linked repository or source
 * files in the package; a quarter when only the card shows example code).
 */
export function datasetAndCodeScore(evidence: Evidence): MetricResult {
  const card = parseCard(evidence.card?.text ?? '');
  const datasets = namedDatasets(evidence);
  const dataSection = card.sections.find((section) => DATA_TITLE.test(section.title) && isSubtreeFilled(section));
  const packaged = sourceFiles(evidence.files);
  const example = card.blocks.some((block) => EXAMPLE_CODE.test(block.code));
  const data = datasets.length > 0 ? 0.5 : dataSection ? 0.25 : 0;
  const code = evidence.code || packaged.length > 0 ? 0.5 : example ? 0.25 : 0;
  return {
    value: data + code,
    applicable: true,
    inputs: { datasets, dataSection: dataSection?.title ?? null, linkedRepository: evidence.code?.repo ?? null, packagedSourceFiles: packaged.length, cardExampleCode: example, data, code },
    explanation: [
      datasets.length > 0
        ? `names ${plural(datasets.length, 'training dataset')}: ${datasets.slice(0, 5).join(', ')}${datasets.length > 5 ? ', …' : ''}`
        : dataSection ? `training data is only described in prose ("${dataSection.title}"), not named as datasets` : 'training data is neither named nor described',
      evidence.code
        ? `code is linked: ${evidence.code.repo}`
        : packaged.length > 0 ? `package ships ${plural(packaged.length, 'source file')} (e.g. ${packaged[0]?.path})`
          : example ? 'no code repository is linked; the card only shows example code' : 'no code is linked or shipped',
    ],
  };
}
