import { parseCard } from './card-text';
import { analyseBlock, isPythonBlock, type BlockAnalysis, type Verdict } from './demo-code';
import type { Evidence } from './evidence';
import type { MetricResult } from './metric';

/** A verdict on whether the card's demo code runs: 1 as written, 0.5 after small fixes, 0 not at all. */
export interface ReproducibilityEstimate {
  readonly value: Verdict;
  /** `static` reads the code; `execution` ran it in a sandbox. */
  readonly method: 'static' | 'execution';
  readonly explanation: readonly string[];
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * Judges the card's demo code. The default reads it (staticReproducibility); an adapter that runs
 * the code in a sandbox computes its estimate outside the domain and hands it to rateModel as
 * `context.reproducibility`, so the pure rating stays synchronous.
 */
export interface ReproducibilityEstimator {
  estimate(evidence: Evidence): ReproducibilityEstimate;
}

const MAX_ANALYSED_BLOCKS = 30;

function describe(analysis: BlockAnalysis): string {
  const loads = analysis.modelRefs.map((ref) => `${ref.ref} (${ref.kind})`).join(', ');
  const imports = analysis.imports.length > 0 ? `imports ${analysis.imports.join(', ')}` : 'imports nothing';
  return `block ${analysis.block} (${analysis.lang}): ${imports}${loads ? `; loads ${loads}` : ''}${analysis.reasons.length > 0 ? `; ${analysis.reasons.join('; ')}` : ''}`;
}

/** The static estimator: the best verdict over the card's Python code blocks. */
export const staticReproducibility: ReproducibilityEstimator = {
  estimate(evidence: Evidence): ReproducibilityEstimate {
    const blocks = parseCard(evidence.card?.text ?? '').blocks.filter(isPythonBlock).slice(0, MAX_ANALYSED_BLOCKS);
    const identity = { repo: evidence.model.repo };
    const analyses = blocks.map((block, index) => analyseBlock(block, index, identity));
    const best = analyses.reduce<BlockAnalysis | undefined>((top, item) => (top === undefined || item.verdict > top.verdict ? item : top), undefined);
    const value = best?.verdict ?? 0;
    const verdict = value === 1 ? 'runs as written' : value === 0.5 ? 'would run after small fixes' : 'would not run as a demo of this model';
    return {
      value,
      method: 'static',
      inputs: { pythonBlocks: analyses.length, verdicts: analyses.map((item) => item.verdict), best: best ?? null },
      explanation: [
        `static estimate (the card's code was read, not run): ${analyses.length === 0 ? 'the card has no Python demo code' : verdict}`,
        ...(best ? [`best: ${describe(best)}`] : []),
        ...analyses.filter((item) => item !== best).slice(0, 3).map(describe),
      ],
    };
  },
};

/** The reproducibility metric over a given estimate (or the static one). */
export function reproducibility(evidence: Evidence, estimate: ReproducibilityEstimate = staticReproducibility.estimate(evidence)): MetricResult {
  return { value: estimate.value, applicable: true, inputs: { method: estimate.method, ...estimate.inputs }, explanation: estimate.explanation };
}
