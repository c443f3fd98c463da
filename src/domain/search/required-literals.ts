/**
 * Substrings every match of a regular expression must contain, so an index can narrow a search
 * before the expression itself confirms each candidate. The answer is an OR of ANDs: each branch
 * of a top-level alternation needs all of its literals. Reading is deliberately conservative —
 * groups, classes, escapes other than escaped punctuation, and anything optional end a literal —
 * so a text the index rules out can never have matched. Literals shorter than `minLength`
 * characters are dropped (a trigram index cannot look them up); a branch left with none means no
 * prefilter is possible and the answer is undefined.
 */
export type RequiredLiterals = readonly (readonly string[])[];

const ZERO_WIDTH_OR_CLASS = new Set([...'dDwWsSbBAz']);

export function requiredLiterals(pattern: string, minLength = 3): RequiredLiterals | undefined {
  const branches = splitTopLevel(pattern);
  if (branches === undefined) return undefined;
  const result: string[][] = [];
  for (const branch of branches) {
    const literals = branchLiterals(branch)?.filter((literal) => [...literal].length >= minLength);
    if (literals === undefined || literals.length === 0) return undefined;
    result.push(literals);
  }
  return result;
}

/** Top-level alternatives, or undefined when brackets do not balance. */
function splitTopLevel(pattern: string): string[] | undefined {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') i += 1;
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === undefined) return undefined;
      i = end;
    } else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      branches.push(pattern.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  branches.push(pattern.slice(start));
  return branches;
}

/** Literal runs of one alternative, or undefined when it holds syntax this reader does not follow. */
function branchLiterals(branch: string): string[] | undefined {
  const literals: string[] = [];
  let run: string[] = [];
  const endRun = (): void => {
    if (run.length > 0) literals.push(run.join(''));
    run = [];
  };
  for (let i = 0; i < branch.length; i += 1) {
    const c = branch[i] ?? '';
    const next = branch[i + 1];
    if (c === '*' || c === '?' || c === '+' || c === '{') {
      const quantifier = c === '{' ? /^\{(\d+)(?:,\d*)?\}/.exec(branch.slice(i)) : [c, c === '+' ? '1' : '0'];
      // RE2 reads a brace that is no quantifier as a literal; rather than follow that, give up.
      if (quantifier === null) return undefined;
      // With a minimum of 0 the previous atom may be absent: it is no part of any required literal.
      if (Number(quantifier[1]) === 0) run.pop();
      endRun();
      i += (quantifier[0]?.length ?? 1) - 1;
      if (branch[i + 1] === '?') i += 1;
      continue;
    }
    if (c === '\\') {
      if (next === undefined) return undefined;
      if (ZERO_WIDTH_OR_CLASS.has(next)) {
        endRun();
        i += 1;
        continue;
      }
      if (next === 'p' || next === 'P') {
        endRun();
        i += propertyLength(branch, i);
        continue;
      }
      // Escapes spelling characters by code (\x41, \n, \u0041) or anything unfamiliar: no prefilter.
      if (/[A-Za-z0-9]/.test(next)) return undefined;
      run.push(next);
      i += 1;
      continue;
    }
    if (c === '[') {
      endRun();
      const end = classEnd(branch, i);
      if (end === undefined) return undefined;
      i = end;
      continue;
    }
    if (c === '(') {
      endRun();
      const end = groupEnd(branch, i);
      if (end === undefined) return undefined;
      i = end;
      continue;
    }
    if (c === '.' || c === '^' || c === '$' || c === ')' || c === '|') {
      endRun();
      continue;
    }
    // Surrogate pairs stay whole, so a quantifier after an emoji drops the whole character.
    const code = branch.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    run.push(char);
    i += char.length - 1;
  }
  endRun();
  return literals;
}

/** How far past the backslash a `\p` escape at `backslash` reaches: `\pL` is 2, `\p{Greek}` 8. */
function propertyLength(pattern: string, backslash: number): number {
  if (pattern[backslash + 2] !== '{') return 2;
  const close = pattern.indexOf('}', backslash);
  return close === -1 ? pattern.length : close - backslash;
}

/** Index of the `]` closing the class opened at `i`. */
function classEnd(pattern: string, i: number): number | undefined {
  let j = i + 1;
  if (pattern[j] === '^') j += 1;
  if (pattern[j] === ']') j += 1;
  for (; j < pattern.length; j += 1) {
    if (pattern[j] === '\\') j += 1;
    else if (pattern[j] === '[' && pattern[j + 1] === ':') {
      const close = pattern.indexOf(':]', j + 2);
      if (close === -1) return undefined;
      j = close + 1;
    } else if (pattern[j] === ']') return j;
  }
  return undefined;
}

/** Index of the `)` closing the group opened at `i`. */
function groupEnd(pattern: string, i: number): number | undefined {
  let depth = 0;
  for (let j = i; j < pattern.length; j += 1) {
    const c = pattern[j];
    if (c === '\\') j += 1;
    else if (c === '[') {
      const end = classEnd(pattern, j);
      if (end === undefined) return undefined;
      j = end;
    } else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return j;
    }
  }
  return undefined;
}
