import { chooseCodeRepository, DEFAULT_MIN_SCORE, gateDecision, rateModel, type Evidence, type GateDecision, type ModelRating } from '../../../../src/domain/rating';
import type { ReferenceModel } from '../../../support/reference-data';
import { steppingClock } from './evidence-mother';
import { evidenceFromReference, referenceModels } from './reference-evidence';

export interface Calibrated {
  readonly repo: string;
  readonly rating: ModelRating;
  readonly decision: GateDecision;
}

/**
 * Evidence as registration would collect it, within what the snapshot holds: a repository the card
 * links as its code but the GitHub reference file lacks is linked and unread, not absent.
 */
function snapshotEvidence(model: ReferenceModel): Evidence {
  const evidence = evidenceFromReference(model);
  const link = chooseCodeRepository(model.repo_id, model.github_links);
  if (evidence.code !== undefined || link === undefined) return evidence;
  return { ...evidence, code: { repo: link.repo, url: `https://github.com/${link.repo}`, linkReason: link.reason, unavailable: 'not in the reference snapshot' } };
}

/**
 * Every reference model rated by the real rating code from evidence built from the reference
 * fixtures (the snapshot holds no pull-request history and no dataset facts, so reviewedness and
 * dataset quality have no value where they would apply), then judged at the default bar.
 */
export function calibrate(minScore = DEFAULT_MIN_SCORE): Calibrated[] {
  return Object.values(referenceModels()).map((model) => {
    const { rating, explanation } = rateModel(snapshotEvidence(model), {}, steppingClock(0));
    return { repo: model.repo_id, rating, decision: gateDecision(rating, explanation, minScore) };
  });
}

/** The calibration table of docs/metrics.md, one row per reference model, in the fixture's order. */
export function calibrationTable(): string[] {
  const rows = calibrate().map(({ repo, rating, decision }) => {
    const verdict = decision.accepted ? 'meets the bar' : `refused: ${decision.failing.map((failure) => `${failure.metric} ${failure.value}`).join(', ')}`;
    const unjudged = decision.unavailable.map((item) => item.metric).join(', ') || '—';
    return `| ${repo} | ${rating.net_score} | ${rating.license} | ${rating.ramp_up_time} | ${rating.performance_claims} | ${rating.reproducibility} | ${verdict} | ${unjudged} |`;
  });
  return ['| model | net | license | ramp-up | perf. claims | reproducibility | verdict at 0.5 | not judged (no evidence) |', '|---|---|---|---|---|---|---|---|', ...rows];
}

if (require.main === module) process.stdout.write(`${calibrationTable().join('\n')}\n`);
