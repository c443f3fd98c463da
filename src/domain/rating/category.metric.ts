import type { Evidence } from './evidence';
import type { MetricResult } from './metric';

/** The Hub's task names; a tag from this list stands in when a model has no pipeline tag. */
export const HUB_TASKS: ReadonlySet<string> = new Set([
  'text-classification', 'token-classification', 'table-question-answering', 'question-answering', 'zero-shot-classification',
  'translation', 'summarization', 'feature-extraction', 'text-generation', 'text2text-generation', 'fill-mask',
  'sentence-similarity', 'text-to-speech', 'text-to-audio', 'automatic-speech-recognition', 'audio-to-audio',
  'audio-classification', 'voice-activity-detection', 'depth-estimation', 'image-classification', 'object-detection',
  'image-segmentation', 'text-to-image', 'image-to-text', 'image-to-image', 'image-to-video', 'unconditional-image-generation',
  'video-classification', 'reinforcement-learning', 'robotics', 'tabular-classification', 'tabular-regression',
  'table-to-text', 'multiple-choice', 'text-retrieval', 'time-series-forecasting', 'text-to-video',
  'visual-question-answering', 'document-question-answering', 'zero-shot-image-classification', 'graph-ml',
  'mask-generation', 'zero-shot-object-detection', 'text-to-3d', 'image-to-3d', 'image-feature-extraction',
  'video-text-to-text', 'image-text-to-text', 'any-to-any', 'keypoint-detection', 'visual-document-retrieval',
  'audio-text-to-text', 'text-ranking',
]);

/** The model's category: its pipeline tag, else the card's, else the first task among its tags, else `unknown`. */
export function category(evidence: Evidence): MetricResult<string> {
  const fromCard = evidence.card?.metadata['pipeline_tag'];
  const candidates: [string, string | undefined][] = [
    ['the Hub pipeline tag', evidence.model.pipelineTag],
    ['the card metadata pipeline_tag', typeof fromCard === 'string' ? fromCard : undefined],
    ['a task among the tags', (evidence.model.tags ?? []).find((tag) => HUB_TASKS.has(tag))],
  ];
  const found = candidates.find(([, value]) => value !== undefined && value.trim() !== '');
  const value = found?.[1]?.trim() ?? 'unknown';
  return {
    value,
    applicable: found !== undefined,
    inputs: { pipelineTag: evidence.model.pipelineTag ?? null, source: found?.[0] ?? null },
    explanation: [found ? `category "${value}" from ${found[0]}` : 'no pipeline tag, card pipeline_tag or task tag: category "unknown"'],
  };
}
