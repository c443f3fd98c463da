import parse from 'spdx-expression-parse';

/** One license of an expression: an SPDX id or LicenseRef, maybe with `+` and a WITH exception. */
export interface LicenseLeaf {
  id: string;
  plus?: boolean;
  exception?: string;
}

export type LicenseNode = LicenseLeaf | { conjunction: 'and' | 'or'; left: LicenseNode; right: LicenseNode };

/** Beyond this many OR-branches an expression is not evaluated: real licenses never come close. */
export const MAX_ALTERNATIVES = 32;

/** Parses an SPDX expression with spdx-expression-parse; throws on a malformed one. */
export function parseExpression(expression: string): LicenseNode {
  return fromParsed(parse(expression));
}

function fromParsed(info: parse.Info): LicenseNode {
  if ('conjunction' in info) {
    return { conjunction: info.conjunction, left: fromParsed(info.left), right: fromParsed(info.right) };
  }
  const leaf: LicenseLeaf = { id: info.license };
  if (info.plus === true) leaf.plus = true;
  if (info.exception !== undefined) leaf.exception = info.exception;
  return leaf;
}

export function isLeaf(node: LicenseNode): node is LicenseLeaf {
  return 'id' in node;
}

export function leafText(leaf: LicenseLeaf): string {
  return `${leaf.id}${leaf.plus === true ? '+' : ''}${leaf.exception === undefined ? '' : ` WITH ${leaf.exception}`}`;
}

/** Renders a tree as an SPDX expression, with parentheses only where AND binds an OR. */
export function renderExpression(node: LicenseNode, parent?: 'and' | 'or'): string {
  if (isLeaf(node)) return leafText(node);
  const text = `${renderExpression(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${renderExpression(node.right, node.conjunction)}`;
  return parent === 'and' && node.conjunction === 'or' ? `(${text})` : text;
}

export function mapLeaves(node: LicenseNode, map: (leaf: LicenseLeaf) => LicenseNode): LicenseNode {
  if (isLeaf(node)) return map(node);
  return { conjunction: node.conjunction, left: mapLeaves(node.left, map), right: mapLeaves(node.right, map) };
}

export function leaves(node: LicenseNode): LicenseLeaf[] {
  return isLeaf(node) ? [node] : [...leaves(node.left), ...leaves(node.right)];
}

/**
 * The expression as a choice of conjunctions: OR offers the licensee a choice, AND makes every part
 * apply. `(A OR B) AND C` gives [[A, C], [B, C]]. Undefined when there are too many choices.
 */
export function alternatives(node: LicenseNode): LicenseLeaf[][] | undefined {
  if (isLeaf(node)) return [[node]];
  const left = alternatives(node.left);
  const right = alternatives(node.right);
  if (left === undefined || right === undefined) return undefined;
  const combined = node.conjunction === 'or' ? [...left, ...right] : left.flatMap((l) => right.map((r) => [...l, ...r]));
  return combined.length > MAX_ALTERNATIVES ? undefined : combined;
}
