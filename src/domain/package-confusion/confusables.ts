/**
 * Latin look-alikes, after Unicode's confusables data (UTS #39, confusables.txt): the Cyrillic and
 * Greek letters, fullwidth forms and ASCII sequences a reader takes for Latin ones. Compact on
 * purpose: names are compared after mapping each of these to its Latin "skeleton".
 */
const CONFUSABLE_LETTERS: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', з: '3', и: 'u', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i',
  ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ɡ: 'g', ս: 'u', һ: 'h', ь: 'b',
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', Ѕ: 's', І: 'i', Ј: 'j', Ԛ: 'q', Ԝ: 'w',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ω: 'w',
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  // Latin variants and digits that read as letters
  ı: 'i', ł: 'l', ß: 'ss', '|': 'l', '!': 'l',
};
// Multi-character ASCII look-alikes, applied after lower-casing ("rn" reads as "m").
const CONFUSABLE_SEQUENCES: readonly (readonly [RegExp, string])[] = [[/rn/g, 'm'], [/vv/g, 'w'], [/cl/g, 'd'], [/i/g, 'l']];

/** Whether a name uses any character from the table (a homoglyph, not just a typo). */
export const hasConfusableCharacters = (name: string): boolean => [...name].some((char) => /[^\x00-\x7f]/.test(char) && CONFUSABLE_LETTERS[char] !== undefined);

/** The name as a reader sees it: look-alikes mapped to Latin, case folded, separators dropped. */
export function skeleton(name: string): string {
  const fullwidthFolded = name.normalize('NFKC');
  const letters = [...fullwidthFolded].map((char) => CONFUSABLE_LETTERS[char] ?? char).join('').toLowerCase();
  // 0 and 1 read as o and l only inside a word ("g00gle"); elsewhere they are version numbers ("llama-2-13b").
  const mapped = letters.replace(/(?<=[a-z])[01]+(?=[a-z])/g, (digits) => digits.replace(/0/g, 'o').replace(/1/g, 'l')).replace(/[-_.\s]+/g, '');
  return CONFUSABLE_SEQUENCES.reduce((text, [pattern, latin]) => text.replace(pattern, latin), mapped);
}

/** Case folded and separators dropped, but characters kept: tells typos from homoglyphs. */
export const plainKey = (name: string): string => name.toLowerCase().replace(/[-_.\s]+/g, '');
