import type { Evidence } from './evidence';
import { clamp01, fmt, plural, type MetricResult, type RatingContext } from './metric';

/**
 * The average stored net score of the model's direct parents in its lineage graph that are rated,
 * registered models. A model without a rated parent gets 0 with applicable=false: there is nothing to
 * average, its own net score is deliberately not used (tree_score never feeds net_score, and net_score
 * never feeds tree_score, so neither can chase the other), and the ingest gate ignores it.
 */
export function treeScore(_evidence: Evidence, context?: RatingContext): MetricResult {
  const parents = context?.parents ?? [];
  const rated = parents.filter((parent) => typeof parent.netScore === 'number' && Number.isFinite(parent.netScore));
  const unrated = parents.filter((parent) => !rated.includes(parent));
  if (rated.length === 0) {
    return {
      value: 0,
      applicable: false,
      inputs: { parents: parents.map((parent) => parent.id), rated: 0 },
      explanation: [
        parents.length === 0
          ? 'the lineage graph shows no registered parent, so there is nothing to average (0, not applicable)'
          : `${plural(parents.length, 'parent')} (${parents.slice(0, 5).map((parent) => parent.name).join(', ')}) but none is a rated model in this registry (0, not applicable)`,
      ],
    };
  }
  const value = clamp01(rated.reduce((sum, parent) => sum + (parent.netScore ?? 0), 0) / rated.length);
  return {
    value,
    applicable: true,
    inputs: { parents: Object.fromEntries(rated.map((parent) => [parent.id, parent.netScore])), unrated: unrated.map((parent) => parent.id) },
    explanation: [
      `average net score of ${plural(rated.length, 'rated parent')}: ${rated.slice(0, 5).map((parent) => `${parent.name} ${fmt(parent.netScore ?? 0)}`).join(', ')} → ${fmt(value)}`,
      ...(unrated.length > 0 ? [`not rated, so not averaged: ${unrated.slice(0, 5).map((parent) => parent.name).join(', ')}`] : []),
    ],
  };
}
