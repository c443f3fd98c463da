import { canonicalId } from './license-aliases';

/** A license recognised from free text: a `license_name`, a `license_link`, a GitHub license name. */
export interface Recognised {
  expression: string;
  clue: string;
}

type Rule = [RegExp, (match: RegExpMatchArray) => string | undefined];

const ref = (id: string) => () => `LicenseRef-${id}`;

// Most specific first: "creativeml openrail++" must not stop at "openrail".
const NAME_RULES: Rule[] = [
  [/llama[\s_-]*3(?:\.|_|-)([123])(?![\db])/, (m) => `LicenseRef-Llama-3.${m[1]}`],
  [/llama[\s_-]*3(?!\d)/, ref('Llama-3')],
  [/llama[\s_-]*2(?!\d)/, ref('Llama-2')],
  [/gemma/, ref('Gemma')],
  [/deepfloyd/, ref('DeepFloyd-IF')],
  [/bigcode[\s_-]*open[\s_-]*rail/, ref('BigCode-OpenRAIL-M')],
  [/bloom[\s_-]*rail/, ref('BigScience-BLOOM-RAIL-1.0')],
  [/bigscience[\s_-]*open[\s_-]*rail/, ref('BigScience-OpenRAIL-M')],
  [/open[\s_-]*rail[\s_-]*\+\+/, ref('OpenRAIL-PlusPlus-M')],
  [/creativeml[\s_-]*open[\s_-]*rail/, ref('CreativeML-OpenRAIL-M')],
  [/open[\s_-]*rail[\s_-]*m\b/, ref('OpenRAIL-M')],
  [/open[\s_-]*rail/, ref('OpenRAIL')],
];

const LINK_RULES: Rule[] = [
  [/creativecommons\.org\/licenses\/(by(?:-nc)?(?:-nd|-sa)?)\/(\d\.\d)/, (m) => canonicalId(`CC-${m[1]}-${m[2]}`)],
  [/creativecommons\.org\/publicdomain\/zero\/1\.0/, () => 'CC0-1.0'],
  [/apache\.org\/licenses\/license-2\.0/, () => 'Apache-2.0'],
  [/gnu\.org\/licenses\/((?:a|l)?gpl)-(\d\.\d)/, (m) => canonicalId(`${m[1]}-${m[2]}-only`)],
  [/(?:opensource\.org\/licenses?|spdx\.org\/licenses)\/([a-z0-9.-]+?)(?:\.html|\.php)?\/?$/, (m) => canonicalId(m[1] ?? '')],
];

/** Recognises a license named or linked in free text; undefined when no rule applies. */
export function recogniseName(text: string): Recognised | undefined {
  const lower = text.toLowerCase();
  for (const [pattern, expression] of [...NAME_RULES, ...LINK_RULES]) {
    const match = pattern.exec(lower);
    const found = match === null ? undefined : expression(match);
    if (found !== undefined) return { expression: found, clue: match?.[0] ?? '' };
  }
  return undefined;
}
