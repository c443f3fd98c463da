import correct from 'spdx-correct';
import { canonicalId, lookupToken, modernise, NOT_A_LICENSE, type Alias } from './license-aliases';
import { leaves, mapLeaves, parseExpression, renderExpression, type LicenseLeaf, type LicenseNode } from './license-expression';
import { recogniseName } from './license-names';
import type { Confidence, NormalizedLicense } from './license-normalizer';

/** Longer than any real expression; also keeps the parsers' quadratic corners out of reach. */
const MAX_LENGTH = 256;
const RANK: Record<Confidence, number> = { exact: 0, corrected: 1, inferred: 2, unknown: 3 };
const REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

interface Reading {
  expression: string;
  confidence: Confidence;
  notes: string[];
}

/** Normalises one piece of license text: an SPDX expression in any case, a Hugging Face id, a name. */
export function normalizeLicense(raw: string, source = 'text'): NormalizedLicense {
  const text = raw.trim();
  const input = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  if (text === '') return unknown(source, 'the license text is empty');
  if (text.length > MAX_LENGTH) return unknown(source, `${text.length} characters is too long for a license identifier`, input);
  const refusal = NOT_A_LICENSE[text.toLowerCase()];
  if (refusal !== undefined) return unknown(source, refusal, input);
  const reading = readExpression(text) ?? readName(text) ?? readCorrected(text);
  if (typeof reading === 'string') return unknown(source, reading, input);
  if (reading === undefined) return unknown(source, `"${input}" is not a license we recognise`, input);
  return finish(reading, source, input);
}

export function unknown(source: string, note: string, input?: string): NormalizedLicense {
  return { ids: [], source, confidence: 'unknown', note, ...(input === undefined ? {} : { input }) };
}

/** Several licenses that all apply (a list on a model card): every one must be identified. */
export function conjoin(parts: NormalizedLicense[], source: string): NormalizedLicense {
  const [first] = parts;
  if (parts.length === 1 && first !== undefined) return first;
  const missing = parts.find((part) => part.expression === undefined);
  const notes = parts.map((part) => part.note).filter((note): note is string => note !== undefined);
  if (missing !== undefined || parts.length === 0) {
    return unknown(source, ['one of the listed licenses cannot be identified', ...notes].join('; '));
  }
  const confidence = parts.map((part) => part.confidence).reduce((a, b) => (RANK[a] >= RANK[b] ? a : b));
  const node = parseExpression(parts.map((part) => `(${part.expression})`).join(' AND '));
  const note = ['several licenses are listed; read as AND, every one applies', ...notes].join('; ');
  return { expression: renderExpression(node), ids: idsOf(node), source, confidence, note };
}

function finish(reading: Reading, source: string, input: string): NormalizedLicense {
  let node: LicenseNode;
  try {
    node = parseExpression(reading.expression);
  } catch {
    return unknown(source, `"${input}" is not a well-formed SPDX expression`, input);
  }
  const notes = [...reading.notes];
  let confidence = reading.confidence;
  node = mapLeaves(node, (leaf) => {
    const modern = modernise(leaf.id, leaf.plus === true);
    if (modern === undefined) return leaf;
    notes.push(`deprecated SPDX id ${leaf.id}${leaf.plus === true ? '+' : ''} read as ${modern}, as SPDX defines it`);
    if (RANK[confidence] < RANK.corrected) confidence = 'corrected';
    const replaced = parseExpression(modern) as LicenseLeaf;
    return leaf.exception === undefined ? replaced : { ...replaced, exception: leaf.exception };
  });
  const plus = leaves(node).filter((leaf) => leaf.plus === true).map((leaf) => leaf.id);
  if (plus.length > 0) notes.push(`"+" on ${plus.join(', ')} is kept but the rules read the named version`);
  const result: NormalizedLicense = { expression: renderExpression(node), ids: idsOf(node), source, confidence, input };
  return notes.length > 0 ? { ...result, note: notes.join('; ') } : result;
}

function idsOf(node: LicenseNode): string[] {
  return [...new Set(leaves(node).map((leaf) => leaf.id))];
}

/**
 * Reads text whose every word is an operator, a parenthesis, an SPDX id in any case or a Hugging Face
 * id. Undefined when some word is none of these; a refusal (string) when the expression is malformed.
 */
function readExpression(text: string): Reading | string | undefined {
  const words = text.split(/(\s+|\(|\))/).filter((word) => word.trim() !== '');
  const out: string[] = [];
  const notes: string[] = [];
  const refusals: string[] = [];
  let confidence: Confidence = 'exact';
  for (const word of words) {
    const operator = word.toUpperCase();
    if (word === '(' || word === ')' || operator === 'AND' || operator === 'OR' || operator === 'WITH') {
      out.push(word === '(' || word === ')' ? word : operator);
      continue;
    }
    if (out[out.length - 1] === 'WITH') {
      out.push(canonicalId(word) ?? word);
      continue;
    }
    const refusal = NOT_A_LICENSE[word.toLowerCase()];
    if (refusal !== undefined) {
      refusals.push(refusal);
      continue;
    }
    const alias = lookupToken(word) ?? plusAlias(word);
    if (alias === undefined && !REF.test(word)) return undefined;
    out.push(alias?.expression ?? word);
    if (alias !== undefined && RANK[alias.confidence] > RANK[confidence]) confidence = alias.confidence;
    if (alias?.note !== undefined) notes.push(alias.note);
  }
  if (refusals.length > 0) return refusals.join('; ');
  const expression = out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  try {
    parseExpression(expression);
  } catch {
    return `"${text}" is not a well-formed SPDX expression`;
  }
  return { expression, confidence, notes };
}

/** `GPL-2.0+`: an id with SPDX's "or later" operator glued on. */
function plusAlias(word: string): Alias | undefined {
  if (!word.endsWith('+') || word.length < 2) return undefined;
  const id = canonicalId(word.slice(0, -1));
  return id === undefined ? undefined : { expression: `${id}+`, confidence: 'exact' };
}

function readName(text: string): Reading | undefined {
  const found = recogniseName(text);
  if (found === undefined) return undefined;
  return { expression: found.expression, confidence: 'inferred', notes: [`recognised from the text "${found.clue}"`] };
}

// The long names GitHub and model cards use, shortened to the stem of their SPDX ids.
const LONG_NAMES: Array<[RegExp, string]> = [
  [/\b(?:gnu )?(?:lesser|library) general public licen[cs]e\b/g, 'lgpl'],
  [/\b(?:gnu )?affero general public licen[cs]e\b/g, 'agpl'],
  [/\b(?:gnu )?general public licen[cs]e\b/g, 'gpl'],
  [/\bmozilla public licen[cs]e\b/g, 'mpl'],
  [/\beclipse public licen[cs]e\b/g, 'epl'],
  [/\beuropean union public licen[cs]e\b/g, 'eupl'],
  [/\bacademic free licen[cs]e\b/g, 'afl'],
  [/\bopen software licen[cs]e\b/g, 'osl'],
  [/\beducational community licen[cs]e\b/g, 'ecl'],
  [/\bboost software licen[cs]e\b/g, 'bsl'],
  [/\bmicrosoft public licen[cs]e\b/g, 'ms-pl'],
  [/\bmicrosoft reciprocal licen[cs]e\b/g, 'ms-rl'],
  [/\bsil open font licen[cs]e\b/g, 'ofl'],
  [/\blatex project public licen[cs]e\b/g, 'lppl'],
  [/\buniversal permissive licen[cs]e\b/g, 'upl'],
  [/\bbsd zero clause licen[cs]e\b/g, '0bsd'],
  [/\bmit no attribution\b/g, 'mit-0'],
  [/\bdo what the f\S*ck you want to public licen[cs]e\b/g, 'wtfpl'],
  [/\buniversity of illinois\/ncsa open source licen[cs]e\b/g, 'ncsa'],
  [/\bcreative commons zero v?1\.0 universal\b/g, 'cc0-1.0'],
  [/\bcreative commons attribution[ -]share ?alike\b/g, 'cc-by-sa'],
  [/\bcreative commons attribution\b/g, 'cc-by'],
  [/\b(?:international|public|the)\b|\blicen[cs]e\b|\bversion\b/g, ' '],
];

/**
 * A license name or a near-miss id: first the name shortened to an id ("GNU General Public License
 * v3.0" → gpl-3.0), then spdx-correct. Text with an expression operator is never corrected: "MIT OR"
 * is broken, not MIT. Quoted words ("New" or "Revised") are descriptions, not operators.
 */
function readCorrected(text: string): Reading | undefined {
  const cleaned = text.replace(/"[^"]*"(?:\s+or\s+"[^"]*")?/gi, ' ');
  if (/(^|\s)(and|or|with)(\s|$)|[()]/i.test(cleaned)) return undefined;
  let lower = cleaned.toLowerCase();
  for (const [pattern, short] of LONG_NAMES) lower = lower.replace(pattern, short);
  const dashed = lower.trim().replace(/[\s_]+v?(?=\d)/g, '-').replace(/\s+/g, '-');
  const named = canonicalId(dashed) ?? canonicalId(`${dashed}.0`);
  if (named !== undefined) return { expression: named, confidence: 'corrected', notes: [`read the name "${text}" as ${named}`] };
  const guess = trustedGuess(text, lower);
  if (guess === undefined) return undefined;
  const notes = [`spdx-correct read "${text}" as ${guess}`];
  const only = guess.replace(/-or-later$/, '-only');
  if (only !== guess && !/\+|later|newer/.test(lower) && canonicalId(only) === only) {
    notes.push(`the text does not say "or later", so ${only} is used`);
    return { expression: only, confidence: 'corrected', notes };
  }
  return { expression: guess, confidence: 'corrected', notes };
}

/**
 * spdx-correct's guess, trusted only when it keeps every version number of the text and its name
 * appears in the text as a word: unguarded, it reads "gpl v2" as GPL-3.0, "EUPL" as UPL and
 * "apple-sample-code-license" as MPL-2.0.
 */
function trustedGuess(text: string, lower: string): string | undefined {
  let guess: string | null;
  try {
    guess = correct(text) ?? correct(lower);
  } catch {
    return undefined;
  }
  if (guess === null) return undefined;
  const versions = lower.match(/\d+(?:\.\d+)*/g) ?? [];
  const stem = /^[a-z]+/.exec(guess.toLowerCase())?.[0] ?? '';
  const named = new RegExp(`(^|[^a-z])${stem}`).test(lower);
  return named && versions.every((version) => guess.includes(version)) ? guess : undefined;
}
