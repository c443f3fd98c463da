import type { LicenseTerms } from './license-terms';

/**
 * A one-way compatibility that the license texts (or their stewards) grant explicitly: material under
 * `from` may become part of a work distributed under `into`.
 */
export interface LicenseBridge {
  from: string[];
  into: string[];
  rationale: string;
}

const GPL2 = ['GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-1.0-or-later'];
const GPL3 = ['GPL-3.0-only', 'GPL-3.0-or-later'];
const AGPL3 = ['AGPL-3.0-only', 'AGPL-3.0-or-later'];
const GPL2_UPGRADABLE = ['GPL-2.0-or-later', 'GPL-1.0-or-later'];
const LGPL2 = ['LGPL-2.0-only', 'LGPL-2.0-or-later', 'LGPL-2.1-only', 'LGPL-2.1-or-later'];
const LGPL3 = ['LGPL-3.0-only', 'LGPL-3.0-or-later'];

export const LICENSE_BRIDGES: readonly LicenseBridge[] = [
  { from: ['GPL-2.0-only'], into: GPL2_UPGRADABLE, rationale: 'a GPL-2.0-or-later work may be distributed under GPL-2.0' },
  { from: GPL2_UPGRADABLE, into: [...GPL2, ...GPL3, ...AGPL3], rationale: 'the "or later" option allows GPL-3.0, which §13 lets combine with AGPL-3.0' },
  { from: GPL3, into: [...GPL3, ...GPL2_UPGRADABLE, ...AGPL3], rationale: 'GPL-3.0 §13 allows combining with AGPL-3.0; an "or later" GPL-2.0 work may move to GPL-3.0' },
  { from: AGPL3, into: [...AGPL3, ...GPL3, ...GPL2_UPGRADABLE], rationale: 'AGPL-3.0 §13 allows combining with GPL-3.0; the AGPL part keeps its network clause' },
  { from: LGPL2, into: [...GPL2, ...GPL3, ...AGPL3], rationale: 'LGPL-2.x §3 lets the code be relicensed under GPL-2.0 or any later GPL' },
  { from: LGPL3, into: [...GPL3, ...GPL2_UPGRADABLE, ...AGPL3], rationale: 'LGPL-3.0 is GPL-3.0 plus permissions, so it joins GPL-3.0 works' },
  { from: ['MPL-2.0'], into: [...GPL2, ...GPL3, ...AGPL3, 'EUPL-1.2'], rationale: 'MPL-2.0 §3.3 names GPL-2.0+, LGPL-2.1+ and AGPL-3.0+ as Secondary Licenses (unless the code is marked "Incompatible With Secondary Licenses")' },
  { from: ['CC-BY-SA-4.0'], into: GPL3, rationale: 'Creative Commons declared BY-SA 4.0 one-way compatible with GPL-3.0 in 2015' },
  { from: ['CC-BY-SA-2.0'], into: ['CC-BY-SA-2.5', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0'], rationale: 'BY-SA adaptations may use a later BY-SA version' },
  { from: ['CC-BY-SA-2.5'], into: ['CC-BY-SA-3.0', 'CC-BY-SA-4.0'], rationale: 'BY-SA adaptations may use a later BY-SA version' },
  { from: ['CC-BY-SA-3.0'], into: ['CC-BY-SA-4.0', 'EUPL-1.2'], rationale: 'BY-SA adaptations may use a later BY-SA version; EUPL-1.2 lists BY-SA 3.0 as compatible' },
  { from: ['CC-BY-NC-SA-2.0'], into: ['CC-BY-NC-SA-3.0', 'CC-BY-NC-SA-4.0'], rationale: 'BY-NC-SA adaptations may use a later BY-NC-SA version' },
  { from: ['CC-BY-NC-SA-3.0'], into: ['CC-BY-NC-SA-4.0'], rationale: 'BY-NC-SA adaptations may use a later BY-NC-SA version' },
  { from: ['GPL-2.0-only', ...GPL2_UPGRADABLE, 'OSL-3.0', 'EPL-1.0'], into: ['EUPL-1.1'], rationale: 'EUPL-1.1 §5 and its appendix let a combined work go under GPL-2.0, OSL, EPL-1.0, CPL or CeCILL' },
  { from: [...GPL2, ...GPL3, ...AGPL3, ...LGPL2, ...LGPL3, 'OSL-3.0', 'EPL-1.0', 'EUPL-1.1'], into: ['EUPL-1.2'], rationale: 'EUPL-1.2 §5 and its appendix let a combined work go under a listed compatible license' },
];

/** What a license exception changes for our use. */
export type ExceptionEffect = 'linking' | 'gpl-2.0-compatible' | 'output';

export interface LicenseException {
  id: string;
  effect: ExceptionEffect;
  rationale: string;
}

const linking = (id: string, rationale: string): LicenseException => ({ id, effect: 'linking', rationale });

export const LICENSE_EXCEPTIONS: readonly LicenseException[] = [
  linking('Classpath-exception-2.0', 'independent modules linked with the library may be under any terms'),
  linking('GCC-exception-2.0', 'the runtime library may be linked into programs under any terms'),
  linking('GCC-exception-3.1', 'the runtime library may be linked into programs under any terms'),
  linking('Font-exception-2.0', 'documents that embed the font are not covered'),
  linking('LGPL-3.0-linking-exception', 'static linking is allowed without the LGPL relinking terms'),
  linking('GPL-3.0-linking-exception', 'linking with independent modules is allowed under their own terms'),
  linking('GPL-3.0-linking-source-exception', 'linking with independent modules is allowed under their own terms'),
  linking('OCaml-LGPL-linking-exception', 'static linking is allowed without the LGPL relinking terms'),
  linking('Qt-LGPL-exception-1.1', 'code using the library\'s headers and templates is not covered'),
  linking('Universal-FOSS-exception-1.0', 'open-source code under any OSI license may link to it'),
  linking('WxWindows-exception-3.1', 'binaries linking the library may be distributed under their own terms'),
  { id: 'LLVM-exception', effect: 'gpl-2.0-compatible', rationale: 'waives the Apache-2.0 terms that conflict with GPL-2.0' },
  { id: 'Autoconf-exception-2.0', effect: 'output', rationale: 'output of the tool is not covered' },
  { id: 'Autoconf-exception-3.0', effect: 'output', rationale: 'output of the tool is not covered' },
  { id: 'Bison-exception-2.2', effect: 'output', rationale: 'output of the tool is not covered' },
];

const EXCEPTIONS = new Map(LICENSE_EXCEPTIONS.map((exception) => [exception.id, exception]));

export function exceptionFor(id: string | undefined): LicenseException | undefined {
  return id === undefined ? undefined : EXCEPTIONS.get(id);
}

/** Why (or why not) material under `from` may be carried by a work under `into`. */
export interface Carriage {
  ok: boolean;
  via: string;
}

/**
 * Whether material under `from` may become part of a work distributed under the share-alike license
 * `into`. Only the same license, the explicit bridges above, and non-copyleft material pass.
 */
export function canCarry(from: LicenseTerms, into: LicenseTerms, fromException?: LicenseException): Carriage {
  if (from.id === into.id) return { ok: true, via: 'same license' };
  const bridge = LICENSE_BRIDGES.find((b) => b.from.includes(from.id) && b.into.includes(into.id));
  if (bridge !== undefined) return { ok: true, via: bridge.rationale };
  if (from.copyleft !== 'none' || from.useRestrictions || !from.commercial || from.derivatives !== 'allowed') {
    return { ok: false, via: `${from.id} carries its own terms, which ${into.id} cannot absorb` };
  }
  if (into.gplVersions.length === 0) return { ok: true, via: `${from.id} is non-copyleft and may be sublicensed under ${into.id}` };
  const gpl = fromException?.effect === 'gpl-2.0-compatible' ? 'v2-and-v3' : from.gplCompatible;
  const versions = gpl === 'v2-and-v3' ? [2, 3] : gpl === 'v3-only' ? [3] : [];
  const shared = into.gplVersions.filter((v) => versions.includes(v));
  if (shared.length === 0) return { ok: false, via: `${from.id} is not compatible with ${describeGpl(into)}` };
  return { ok: true, via: `${from.id} may join a work under GPL-${shared[shared.length - 1]}.0` };
}

function describeGpl(terms: LicenseTerms): string {
  return terms.gplVersions.map((v) => `GPL-${v}.0`).join(' or ');
}
