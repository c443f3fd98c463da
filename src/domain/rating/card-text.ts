/**
 * A model card read the way a newcomer reads it: headings with what is under them, fenced code blocks,
 * links. Line-by-line and index-based so a hostile card costs time linear in its (bounded) length.
 */
export interface CardSection {
  readonly level: number;
  readonly title: string;
  /** Prose directly under the heading (up to the next heading), comments and placeholders removed. */
  readonly content: string;
  /** Fenced code blocks directly under the heading. */
  readonly codeBlocks: number;
  /** Prose under the heading and all its sub-headings. */
  readonly subtreeContent: string;
  /** Fenced code blocks under the heading and its sub-headings. */
  readonly subtreeCodeBlocks: number;
}

export interface CodeBlock {
  /** The fence's info string, lower-cased (`python`, `bash`, `` for none). */
  readonly lang: string;
  readonly code: string;
}

export interface ParsedCard {
  readonly sections: readonly CardSection[];
  readonly blocks: readonly CodeBlock[];
  /** Text outside code blocks, without comments and template placeholder lines. */
  readonly prose: string;
  /** `[More Information Needed]` left by the card template. */
  readonly placeholders: number;
}

const PLACEHOLDER = /\[?more information needed\]?/gi;
const PLACEHOLDER_LINE = /more information needed/i;
const MAX_BLOCKS = 100;
const MAX_SECTIONS = 400;

/** Removes a leading YAML front matter block (`---` … `---`). */
export function stripFrontMatter(text: string): string {
  const match = /^---[ \t]*\r?\n/.exec(text);
  if (!match) return text;
  const end = /\r?\n---[ \t]*(\r?\n|$)/.exec(text.slice(match[0].length - 1));
  return end ? text.slice(match[0].length - 1 + end.index + end[0].length) : text;
}

/** Drops `<!-- … -->` comments; an unclosed comment runs to the end, as in a browser. */
export function stripComments(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('<!--', from);
    if (open < 0) return out + text.slice(from);
    out += text.slice(from, open);
    const close = text.indexOf('-->', open + 4);
    if (close < 0) return out;
    from = close + 3;
  }
}

// Sliced first: trimming a trailing run of a megabyte-long hostile line would otherwise be quadratic.
const cleanTitle = (raw: string): string => raw.slice(0, 256).replace(/[\s#]+$/, '').trim();

interface Heading {
  readonly level: number;
  readonly title: string;
  readonly line: number;
}

export function parseCard(raw: string): ParsedCard {
  const text = stripComments(stripFrontMatter(raw));
  const placeholders = text.match(PLACEHOLDER)?.length ?? 0;
  const lines = text.split(/\r?\n/);
  const headings: Heading[] = [];
  const blocks: CodeBlock[] = [];
  const blockLines: number[] = [];
  const proseLines: string[] = [];
  let fence: { marker: string; lang: string; start: number; code: string[] } | undefined;
  lines.forEach((line, index) => {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]?.startsWith(fence.marker) && line.trim().replace(/[`~]/g, '') === '') {
        if (blocks.length < MAX_BLOCKS) blocks.push({ lang: fence.lang, code: fence.code.join('\n') });
        blockLines.push(fence.start);
        fence = undefined;
      } else {
        fence.code.push(line);
      }
      return;
    }
    if (fenceMatch) {
      fence = { marker: fenceMatch[1]?.[0]?.repeat(3) ?? '```', lang: (fenceMatch[2] ?? '').toLowerCase(), start: index, code: [] };
      return;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line);
    if (heading && headings.length < MAX_SECTIONS) headings.push({ level: heading[1]?.length ?? 1, title: cleanTitle(heading[2] ?? ''), line: index });
    else proseLines[index] = line;
  });
  // A template line such as "- **License:** [More Information Needed]" says nothing at all.
  const meaningful = (from: number, to: number): string =>
    proseLines.slice(from, to).filter((line) => line !== undefined && !PLACEHOLDER_LINE.test(line)).join('\n').trim();
  const blocksBetween = (from: number, to: number): number => blockLines.filter((line) => line > from && line < to).length;
  const sections = headings.map((heading, i) => {
    const ownEnd = headings[i + 1]?.line ?? lines.length;
    const subtreeEnd = headings.slice(i + 1).find((other) => other.level <= heading.level)?.line ?? lines.length;
    return {
      level: heading.level,
      title: heading.title,
      content: meaningful(heading.line + 1, ownEnd),
      codeBlocks: blocksBetween(heading.line, ownEnd),
      subtreeContent: meaningful(heading.line + 1, subtreeEnd),
      subtreeCodeBlocks: blocksBetween(heading.line, subtreeEnd),
    };
  });
  return { sections, blocks, prose: meaningful(0, lines.length), placeholders };
}

/** A section says something itself: prose beyond a stub, or a code example (its sub-sections aside). */
export const isFilled = (section: CardSection): boolean => section.content.replace(/\s+/g, ' ').length >= 40 || section.codeBlocks > 0;

/** The section or one of its sub-sections says something. */
export const isSubtreeFilled = (section: CardSection): boolean => section.subtreeContent.replace(/\s+/g, ' ').length >= 40 || section.subtreeCodeBlocks > 0;

export const wordCount = (text: string): number => text.split(/\s+/).filter((word) => /[A-Za-z0-9]/.test(word)).length;

const URL_PATTERN = /https?:\/\/[^\s)\]>"'`<]+/g;

export const linksIn = (text: string): string[] => [...new Set(text.match(URL_PATTERN) ?? [])];

/** GitHub repository links in order of appearance, without duplicates. */
export function githubLinks(text: string): string[] {
  const links = linksIn(text)
    .filter((url) => /^https?:\/\/(www\.)?github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+/.test(url))
    .map((url) => url.slice(0, 512).replace(/[.,;:]+$/, ''));
  return [...new Set(links)];
}
