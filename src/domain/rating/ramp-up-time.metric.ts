import { isFilled, linksIn, parseCard, wordCount, type CardSection } from './card-text';
import { hasFile, type Evidence } from './evidence';
import { clamp01, plural, type MetricResult } from './metric';

/** Points per documentation feature; they sum to 1. */
export const RAMP_UP_WEIGHTS = {
  usageSection: 0.3,
  codeExample: 0.2,
  quickStart: 0.1,
  length: 0.15,
  structure: 0.1,
  links: 0.05,
  configAndTokenizer: 0.1,
} as const;

/** Prose words at which the length points are full. */
export const RAMP_UP_FULL_WORDS = 500;
/** Filled sections at which the structure points are full. */
export const RAMP_UP_FULL_SECTIONS = 6;

const USAGE_TITLE = /usage|how to use|get(ting)? started|quick ?start|example|inference|use with|running the model/i;
const CODE_LANGS = new Set(['python', 'py', 'python3', 'ipython', 'bash', 'sh', 'shell', 'console', 'zsh', 'javascript', 'js', 'typescript', 'ts']);
const QUICK_START = /pip install|from_pretrained\(|pipeline\(|SentenceTransformer\(|hf_hub_download\(/;
const TOKENIZER_FILES = [
  'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'vocab.json', 'merges.txt', 'spiece.model',
  'tokenizer.model', 'sentencepiece.bpe.model', 'preprocessor_config.json',
];

// A usage heading above a one-line template sentence does not teach anyone anything.
const teachesUsage = (section: CardSection): boolean =>
  USAGE_TITLE.test(section.title) && (section.subtreeCodeBlocks > 0 || section.subtreeContent.length >= 200);

/**
 * How fast a newcomer gets going, judged from the card: a filled usage section, a code example, a
 * quick-start line, enough prose, several filled sections, links to further documentation, and the
 * config and tokenizer files that make the example loadable.
 */
export function rampUpTime(evidence: Evidence): MetricResult {
  const card = parseCard(evidence.card?.text ?? '');
  const usage = card.sections.find(teachesUsage);
  const codeBlocks = card.blocks.filter((block) => CODE_LANGS.has(block.lang) || (block.lang === '' && QUICK_START.test(block.code)));
  const quickStart = codeBlocks.some((block) => QUICK_START.test(block.code));
  const words = wordCount(card.prose);
  const filled = card.sections.filter(isFilled);
  const links = linksIn(card.prose).length;
  const config = hasFile(evidence.files, 'config.json');
  const tokenizer = TOKENIZER_FILES.some((name) => hasFile(evidence.files, name));
  const W = RAMP_UP_WEIGHTS;
  const parts = {
    usageSection: usage ? W.usageSection : 0,
    codeExample: codeBlocks.length > 0 ? W.codeExample : 0,
    quickStart: quickStart ? W.quickStart : 0,
    length: W.length * Math.min(1, words / RAMP_UP_FULL_WORDS),
    structure: W.structure * Math.min(1, filled.length / RAMP_UP_FULL_SECTIONS),
    links: W.links * Math.min(1, links / 3),
    configAndTokenizer: (config ? W.configAndTokenizer / 2 : 0) + (tokenizer ? W.configAndTokenizer / 2 : 0),
  };
  const value = clamp01(Object.values(parts).reduce((sum, part) => sum + part, 0));
  return {
    value,
    applicable: true,
    inputs: { hasCard: evidence.card !== undefined, usageSection: usage?.title ?? null, codeBlocks: codeBlocks.length, quickStart, words, sections: card.sections.length, filledSections: filled.length, placeholders: card.placeholders, links, configJson: config, tokenizer, parts },
    explanation: explain(evidence, card.sections.length, filled, usage, codeBlocks.length, quickStart, words, card.placeholders, links, config, tokenizer),
  };
}

function explain(
  evidence: Evidence, sections: number, filled: readonly CardSection[], usage: CardSection | undefined, blocks: number,
  quickStart: boolean, words: number, placeholders: number, links: number, config: boolean, tokenizer: boolean,
): string[] {
  const lines: string[] = [];
  if (evidence.card === undefined) lines.push('there is no model card, so nothing explains how to use the model');
  else {
    const named = filled.slice(0, 4).map((section) => section.title).join(', ');
    lines.push(`card has ${plural(sections, 'section')}, ${filled.length} with real content${named ? ` (${named}${filled.length > 4 ? ', …' : ''})` : ''}, and ${plural(words, 'word')} of prose`);
    if (placeholders > 0) lines.push(`card still carries ${plural(placeholders, 'template placeholder')} ("More Information Needed")`);
    lines.push(usage ? `"${usage.title}" shows how to use the model` : 'no usage / how-to-use section with real content');
    lines.push(blocks > 0 ? `${plural(blocks, 'code example')}${quickStart ? ', including a quick-start snippet' : ''}` : 'no code example');
    lines.push(`${plural(links, 'link')} to further documentation`);
  }
  lines.push(`${config ? 'config.json present' : 'no config.json'}; ${tokenizer ? 'tokenizer files present' : 'no tokenizer files'}`);
  return lines;
}
