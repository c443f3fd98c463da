import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

/** CloudFormation's short-form intrinsics (`!Ref X`, `!Sub '…'`, `!GetAtt A.B`) as their long JSON form. */
const INTRINSICS = [
  'Base64', 'Cidr', 'Condition', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join',
  'Not', 'And', 'Or', 'Ref', 'Select', 'Split', 'Sub', 'Transform',
];

const keyOf = (name: string): string => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

const CLOUDFORMATION_TAGS: Tags = INTRINSICS.flatMap((name) => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({ [keyOf(name)]: name === 'GetAtt' ? [value.slice(0, value.indexOf('.')), value.slice(value.indexOf('.') + 1)] : value }),
  },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => ({ [keyOf(name)]: value.toJSON() }) },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: { toJSON(): unknown }) => ({ [keyOf(name)]: value.toJSON() }) },
]);

/** Parses a CloudFormation or SAM template, failing on duplicate keys and unknown tags. */
export function parseTemplate(path: string): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8'), { customTags: CLOUDFORMATION_TAGS, strict: true, uniqueKeys: true, prettyErrors: true }) as Record<string, unknown>;
}

export function parseYamlFile(path: string): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8'), { strict: true, uniqueKeys: true, prettyErrors: true }) as Record<string, unknown>;
}

/** Every logical id a value refers to through Ref, GetAtt or a ${…} in Sub. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (typeof value !== 'object' || value === null) return [];
  const ids: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') ids.push(inner);
    else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') ids.push(inner[0]);
    else if (key === 'Fn::Sub') {
      const text = Array.isArray(inner) ? inner[0] : inner;
      if (typeof text === 'string') for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) ids.push(match[1] as string);
      if (Array.isArray(inner)) ids.push(...referencedIds(inner[1]));
    } else ids.push(...referencedIds(inner));
  }
  return ids;
}
