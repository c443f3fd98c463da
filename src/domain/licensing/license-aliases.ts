import deprecatedIds from 'spdx-license-ids/deprecated.json';
import spdxIds from 'spdx-license-ids/index.json';
import { LICENSE_EXCEPTIONS } from './license-bridges';
import { LICENSE_TERMS } from './license-terms';

/** What one token of license metadata stands for. */
export interface Alias {
  expression: string;
  confidence: 'exact' | 'corrected' | 'inferred';
  note?: string;
}

/** Identifiers of Hugging Face's `license:` vocabulary that are not SPDX ids (SPDX ids match by case). */
const HUGGING_FACE: Record<string, Alias> = {
  openrail: exact('LicenseRef-OpenRAIL'),
  'openrail-m': exact('LicenseRef-OpenRAIL-M'),
  'openrail++': exact('LicenseRef-OpenRAIL-PlusPlus-M'),
  'creativeml-openrail-m': exact('LicenseRef-CreativeML-OpenRAIL-M'),
  'bigscience-openrail-m': exact('LicenseRef-BigScience-OpenRAIL-M'),
  'bigscience-bloom-rail-1.0': exact('LicenseRef-BigScience-BLOOM-RAIL-1.0'),
  'bigcode-openrail-m': exact('LicenseRef-BigCode-OpenRAIL-M'),
  'deepfloyd-if-license': exact('LicenseRef-DeepFloyd-IF'),
  'apple-ascl': exact('LicenseRef-Apple-ASCL'),
  llama2: exact('LicenseRef-Llama-2'),
  llama3: exact('LicenseRef-Llama-3'),
  'llama3.1': exact('LicenseRef-Llama-3.1'),
  'llama3.2': exact('LicenseRef-Llama-3.2'),
  'llama3.3': exact('LicenseRef-Llama-3.3'),
  gemma: exact('LicenseRef-Gemma'),
  'c-uda': exact('C-UDA-1.0'),
  'odc-by': exact('ODC-By-1.0'),
  odbl: exact('ODbL-1.0'),
  pddl: exact('PDDL-1.0'),
  'lgpl-lr': exact('LGPLLR'),
  bsd: { expression: 'BSD-3-Clause', confidence: 'inferred', note: '"bsd" names no variant; read as BSD-3-Clause (BSD-4-Clause would add the advertising clause)' },
  gpl: { expression: 'GPL-1.0-or-later', confidence: 'inferred', note: '"gpl" names no version; the GPL then lets any version be chosen' },
  lgpl: { expression: 'LGPL-2.0-or-later', confidence: 'inferred', note: '"lgpl" names no version; the LGPL then lets any version be chosen' },
  gfdl: { expression: 'GFDL-1.1-or-later', confidence: 'inferred', note: '"gfdl" names no version; the GFDL then lets any version be chosen' },
};

/** Words that say "no license known": they never become an expression. */
export const NOT_A_LICENSE: Record<string, string> = {
  unknown: 'the metadata says the license is unknown',
  other: 'the metadata says "other" without naming the license',
  noassertion: 'the source could not identify the license (NOASSERTION)',
  none: 'the source says there is no license (NONE): no rights are granted',
  cc: '"cc" names the Creative Commons family but not which license; BY, SA, NC and ND differ decisively',
};

function exact(expression: string): Alias {
  return { expression, confidence: 'exact' };
}

/** Deprecated ids that fold an exception into the name, and their modern spelling. */
const DEPRECATED_WITH_EXCEPTION: Record<string, string> = {
  'GPL-2.0-with-classpath-exception': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'GPL-2.0-with-GCC-exception': 'GPL-2.0-only WITH GCC-exception-2.0',
  'GPL-2.0-with-autoconf-exception': 'GPL-2.0-only WITH Autoconf-exception-2.0',
  'GPL-2.0-with-bison-exception': 'GPL-2.0-only WITH Bison-exception-2.2',
  'GPL-2.0-with-font-exception': 'GPL-2.0-only WITH Font-exception-2.0',
  'GPL-3.0-with-GCC-exception': 'GPL-3.0-only WITH GCC-exception-3.1',
  'GPL-3.0-with-autoconf-exception': 'GPL-3.0-only WITH Autoconf-exception-3.0',
};

const CANONICAL = new Map<string, string>(
  [...spdxIds, ...deprecatedIds, ...LICENSE_TERMS.map((t) => t.id), ...LICENSE_EXCEPTIONS.map((e) => e.id)].map((id) => [id.toLowerCase(), id]),
);
const DEPRECATED = new Set<string>(deprecatedIds);
const IDS = new Set<string>(spdxIds);

/** The properly cased SPDX id, exception or known LicenseRef for a token, if it is one. */
export function canonicalId(token: string): string | undefined {
  return CANONICAL.get(token.toLowerCase());
}

/** A token of license metadata: an SPDX id in any case, or Hugging Face's own vocabulary. */
export function lookupToken(token: string): Alias | undefined {
  const hf = HUGGING_FACE[token.toLowerCase()];
  if (hf !== undefined) return hf;
  const id = canonicalId(token);
  return id === undefined ? undefined : exact(id);
}

/**
 * The modern spelling of a deprecated id: SPDX defines `GPL-2.0` as `GPL-2.0-only` and `GPL-2.0+`
 * as `GPL-2.0-or-later`. Undefined when the id is current.
 */
export function modernise(id: string, plus: boolean): string | undefined {
  if (!DEPRECATED.has(id)) return undefined;
  const withException = DEPRECATED_WITH_EXCEPTION[id];
  if (withException !== undefined) return withException;
  const suffixed = `${id}-${plus ? 'or-later' : 'only'}`;
  return IDS.has(suffixed) ? suffixed : undefined;
}
