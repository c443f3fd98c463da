import { isSubtreeFilled, parseCard } from './card-text';
import type { Evidence } from './evidence';
import { clamp01, plural, type MetricResult } from './metric';

export const PERFORMANCE_WEIGHTS = { modelIndex: 0.4, numericResults: 0.3, evaluationSection: 0.1, namedBenchmarks: 0.1, paper: 0.1 } as const;

const EVALUATION_TITLE = /evaluat|results|benchmark|performance|metrics|accuracy/i;
// `71.2`, `**90.5%**`, `84.6/83.4` (matched/mismatched accuracy).
const NUMERIC_CELL = /^\s*\**[-+]?\d+(\.\d+)?%?(\s*\/\s*[-+]?\d+(\.\d+)?%?)*\**\s*$/;
const PAPER = /arxiv\.org\/(abs|pdf)\/\d{4}\.\d{4,5}|arxiv:\s*\d{4}\.\d{4,5}/i;
/** Benchmarks whose name next to a number is a checkable claim. */
const BENCHMARKS = [
  'GLUE', 'SuperGLUE', 'SQuAD', 'MNLI', 'QQP', 'QNLI', 'SST-2', 'CoLA', 'STS-B', 'MRPC', 'RTE', 'MMLU', 'HellaSwag',
  'ARC', 'TruthfulQA', 'Winogrande', 'GSM8K', 'HumanEval', 'MBPP', 'BoolQ', 'PIQA', 'LibriSpeech', 'Common Voice',
  'ImageNet', 'COCO', 'WMT', 'CNN/DailyMail', 'XSum', 'LAMBADA', 'WikiText', 'TriviaQA', 'Natural Questions',
  'BIG-Bench', 'BBH', 'AGIEval', 'DROP', 'FLEURS', 'CIFAR-10', 'CIFAR-100', 'SIQA', 'MATH', 'IFEval', 'GPQA',
];
const BENCHMARK_PATTERNS = BENCHMARKS.map((name) => ({ name, pattern: new RegExp(`(^|[^A-Za-z0-9])${name.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}([^A-Za-z0-9]|$)`, 'i') }));

/** model-index results that state a numeric metric value, as `dataset: metric=value` strings. */
export function modelIndexResults(metadata: Readonly<Record<string, unknown>> | undefined): string[] {
  const index = metadata?.['model-index'];
  if (!Array.isArray(index)) return [];
  const claims: string[] = [];
  for (const entry of index.slice(0, 20)) {
    const results = isRecord(entry) && Array.isArray(entry['results']) ? entry['results'] : [];
    for (const result of results.slice(0, 200)) {
      if (!isRecord(result)) continue;
      const dataset = isRecord(result['dataset']) ? String(result['dataset']['name'] ?? result['dataset']['type'] ?? 'unnamed dataset') : 'unnamed dataset';
      const metrics = Array.isArray(result['metrics']) ? result['metrics'] : [];
      for (const metric of metrics.slice(0, 50)) {
        if (isRecord(metric) && typeof metric['value'] === 'number' && Number.isFinite(metric['value'])) {
          claims.push(`${dataset}: ${String(metric['type'] ?? metric['name'] ?? 'metric')}=${metric['value']}`);
        }
      }
    }
  }
  return claims;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Purely numeric cells in the card's markdown tables (lines starting with a pipe). */
function numericCells(text: string): number {
  let cells = 0;
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('|')) cells += line.slice(0, 2000).split('|').filter((cell) => NUMERIC_CELL.test(cell)).length;
  }
  return cells;
}

const DECIMAL = /\b\d+\.\d+\b|\b\d+(\.\d+)?\s?%/;

/** Prose lines that put a number next to a named benchmark ("F1 of 86.9 on SQuAD v1.1"). */
function statedResults(prose: string): number {
  return prose.split('\n').slice(0, 5000).map((line) => line.slice(0, 1000))
    .filter((line) => DECIMAL.test(line) && BENCHMARK_PATTERNS.some(({ pattern }) => pattern.test(line))).length;
}

/**
 * How well stated performance is backed: structured model-index results, numeric results (a table,
 * or a number next to a benchmark name), an evaluation section, named public benchmarks, and a paper to check them against.
 */
export function performanceClaims(evidence: Evidence): MetricResult {
  const cardText = evidence.card?.text ?? '';
  const card = parseCard(cardText);
  const claims = modelIndexResults(evidence.card?.metadata);
  const evaluation = card.sections.find((section) => EVALUATION_TITLE.test(section.title) && isSubtreeFilled(section));
  const cells = numericCells(cardText);
  const stated = statedResults(card.prose);
  const searchable = `${card.prose}\n${claims.join('\n')}`;
  const benchmarks = BENCHMARK_PATTERNS.filter(({ pattern }) => pattern.test(searchable)).map(({ name }) => name);
  const paper = PAPER.test(cardText) || (evidence.model.tags ?? []).some((tag) => tag.startsWith('arxiv:'));
  const W = PERFORMANCE_WEIGHTS;
  const parts = {
    modelIndex: claims.length > 0 ? W.modelIndex : 0,
    numericResults: cells >= 2 || stated > 0 ? W.numericResults : 0,
    evaluationSection: evaluation ? W.evaluationSection : 0,
    namedBenchmarks: benchmarks.length > 0 ? W.namedBenchmarks : 0,
    paper: paper ? W.paper : 0,
  };
  const value = clamp01(Object.values(parts).reduce((sum, part) => sum + part, 0));
  return {
    value,
    applicable: true,
    inputs: { modelIndexResults: claims.length, numericTableCells: cells, statedResults: stated, evaluationSection: evaluation?.title ?? null, benchmarks, paper, parts },
    explanation: [
      claims.length > 0 ? `card metadata states ${plural(claims.length, 'model-index result')} (e.g. ${claims[0]})` : 'no model-index results in the card metadata',
      cells >= 2 || stated > 0 ? `card states numeric results: ${plural(cells, 'numeric table cell')}, ${plural(stated, 'sentence')} with a number next to a benchmark` : 'no numeric results in tables or next to a benchmark name',
      evaluation ? `"${evaluation.title}" section describes the evaluation` : 'no evaluation section with real content',
      benchmarks.length > 0 ? `names public benchmarks: ${benchmarks.slice(0, 6).join(', ')}` : 'names no public benchmark',
      paper ? 'cites an arXiv paper' : 'cites no paper',
    ],
  };
}
