/** How a license treats the one use we judge: fine-tune a model, run inference, maybe distribute the result. */
export type LicenseFamily =
  | 'public-domain'
  | 'permissive'
  | 'weak-copyleft'
  | 'strong-copyleft'
  | 'network-copyleft'
  | 'non-commercial'
  | 'no-derivatives'
  | 'use-restricted'
  | 'community';

/** Whether a fine-tuned model (a derivative) may be made, and shared. */
export type Derivatives = 'allowed' | 'private-only' | 'forbidden';

/**
 * How far share-alike reaches when a derivative is distributed: only the changed files, the changed
 * library, the whole distributed work (with the code shipped in it), or that plus network use.
 */
export type CopyleftScope = 'none' | 'file' | 'library' | 'program' | 'network';

/** Whether material under a non-copyleft license may join a GPL-covered work as it is. */
export type GplCompatibility = 'v2-and-v3' | 'v3-only' | 'no';

export interface LicenseTerms {
  id: string;
  name: string;
  family: LicenseFamily;
  derivatives: Derivatives;
  commercial: boolean;
  copyleft: CopyleftScope;
  /** Use restrictions (RAIL attachments, acceptable-use policies) that every derivative must carry. */
  useRestrictions: boolean;
  attribution: boolean;
  gplCompatible: GplCompatibility;
  /** For GPL-family licenses: the GPL versions a combined work may be released under. */
  gplVersions: number[];
  /** Notable conditions beyond the columns, phrased as obligations. */
  conditions: string[];
  rationale: string;
}

type Extra = Partial<Omit<LicenseTerms, 'id' | 'name' | 'family' | 'rationale'>>;

const DEFAULTS: Record<LicenseFamily, Omit<LicenseTerms, 'id' | 'name' | 'family' | 'rationale'>> = {
  'public-domain': base({ attribution: false, gplCompatible: 'v2-and-v3' }),
  permissive: base({ gplCompatible: 'v2-and-v3' }),
  'weak-copyleft': base({ copyleft: 'file' }),
  'strong-copyleft': base({ copyleft: 'program' }),
  'network-copyleft': base({ copyleft: 'network' }),
  'non-commercial': base({ commercial: false }),
  'no-derivatives': base({ derivatives: 'forbidden' }),
  'use-restricted': base({ useRestrictions: true }),
  community: base({ useRestrictions: true }),
};

function base(extra: Extra): Omit<LicenseTerms, 'id' | 'name' | 'family' | 'rationale'> {
  return {
    derivatives: 'allowed', commercial: true, copyleft: 'none', useRestrictions: false, attribution: true,
    gplCompatible: 'no', gplVersions: [], conditions: [], ...extra,
  };
}

function row(id: string, name: string, family: LicenseFamily, rationale: string, extra: Extra = {}): LicenseTerms {
  return { id, name, family, ...DEFAULTS[family], ...extra, rationale };
}

const APACHE_NOTICE = 'keep the NOTICE file and mark significant changes in modified files (Apache-2.0 §4)';
const RAIL_FLOW_DOWN =
  'include the use restrictions of the license as an enforceable provision in the terms of every copy and derivative, and give recipients a copy of the license';
const LLAMA_MAU =
  'obtain a separate license from Meta if your products had more than 700 million monthly active users on the release date';
const llamaAup = (version: string) =>
  `follow the Llama ${version} Acceptable Use Policy and pass it on to the users of the fine-tuned model`;
const llamaNotice = (product: string) => `ship the license and the notice "${product} is licensed under the ${product} Community License" with every copy you distribute`;
const LLAMA_31_NAMING = 'display "Built with Llama" and begin the name of a distributed derivative model with "Llama"';

const GPL_RATIONALE = 'whole-work copyleft: a distributed work based on it is licensed as a whole under the GPL, with source, and no further restrictions';
const CC_VERSIONS = ['2.0', '2.5', '3.0', '4.0'];

export const LICENSE_TERMS: readonly LicenseTerms[] = [
  // Public domain and no-condition licenses.
  row('CC0-1.0', 'Creative Commons Zero 1.0', 'public-domain', 'waives copyright as far as the law allows; grants no patent rights (§4(a))'),
  row('Unlicense', 'The Unlicense', 'public-domain', 'dedicates the work to the public domain, with a permissive fallback license'),
  row('PDDL-1.0', 'Open Data Commons Public Domain Dedication 1.0', 'public-domain', 'dedicates a database to the public domain without conditions'),
  row('WTFPL', 'Do What The F*ck You Want To Public License', 'public-domain', 'permits anything and asks for nothing; the FSF lists it as GPL-compatible'),
  row('0BSD', 'BSD Zero Clause License', 'public-domain', 'permission to use for any purpose without even a notice requirement'),
  row('MIT-0', 'MIT No Attribution', 'public-domain', 'MIT without the notice requirement'),

  // Permissive: attribution, sometimes a patent grant.
  row('MIT', 'MIT License', 'permissive', 'any use, sublicensing included, if the copyright and permission notice are kept'),
  row('Apache-2.0', 'Apache License 2.0', 'permissive', 'permissive with an express patent license; its patent-termination and indemnity terms are further restrictions under GPL-2.0, so it joins GPL-3.0 works only', { gplCompatible: 'v3-only', conditions: [APACHE_NOTICE] }),
  row('ECL-2.0', 'Educational Community License 2.0', 'permissive', 'Apache-2.0 with a narrower patent grant; combines with the GPL as Apache-2.0 does', { gplCompatible: 'v3-only' }),
  row('BSD-2-Clause', 'BSD 2-Clause License', 'permissive', 'keep the copyright notice and disclaimer in source and binary copies'),
  row('BSD-3-Clause', 'BSD 3-Clause License', 'permissive', 'BSD-2-Clause plus: do not use the authors\' names to endorse derived products'),
  row('BSD-3-Clause-Clear', 'BSD 3-Clause Clear License', 'permissive', 'BSD-3-Clause that says expressly it grants no patent rights'),
  row('BSD-2-Clause-Patent', 'BSD-2-Clause Plus Patent License', 'permissive', 'BSD-2-Clause with an express patent license'),
  row('BSD-4-Clause', 'BSD 4-Clause License', 'permissive', 'the advertising clause is a further restriction the GPL does not allow', { gplCompatible: 'no', conditions: ['acknowledge the authors in advertising materials that mention features of the software'] }),
  row('ISC', 'ISC License', 'permissive', 'MIT-like; keep the notice'),
  row('BSL-1.0', 'Boost Software License 1.0', 'permissive', 'keep the notice in source copies; binaries need none'),
  row('Zlib', 'zlib License', 'permissive', 'keep the notice and mark altered versions plainly'),
  row('NCSA', 'University of Illinois/NCSA Open Source License', 'permissive', 'BSD-like: keep the notice, do not use the names for endorsement'),
  row('PostgreSQL', 'PostgreSQL License', 'permissive', 'BSD-like: keep the notice'),
  row('UPL-1.0', 'Universal Permissive License 1.0', 'permissive', 'permissive with a patent license; keep the notice'),
  row('Artistic-2.0', 'Artistic License 2.0', 'permissive', 'free for any use; modified versions must be freely available or renamed; the FSF lists it as GPL-compatible', { conditions: ['make distributed modified versions freely available or rename them (Artistic-2.0 §4)'] }),
  row('AFL-3.0', 'Academic Free License 3.0', 'permissive', 'permissive, but its patent-termination and notice terms make it GPL-incompatible (FSF)', { gplCompatible: 'no' }),
  row('etalab-2.0', 'Etalab Open License 2.0', 'permissive', 'reuse for any purpose with attribution; declared compatible with CC-BY and ODC-By, with no statement about the GPL', { gplCompatible: 'no' }),
  row('LicenseRef-Apple-ASCL', 'Apple Sample Code License', 'permissive', 'BSD-like: use, modify and redistribute, keep the notice, do not use Apple\'s name; no statement about the GPL', { gplCompatible: 'no' }),
  row('CDLA-Permissive-1.0', 'Community Data License Agreement Permissive 1.0', 'permissive', 'data license; Results of computational use, such as trained models, are not restricted', { gplCompatible: 'no' }),
  row('CDLA-Permissive-2.0', 'Community Data License Agreement Permissive 2.0', 'permissive', 'data license that only asks for the license text; Results are not restricted', { gplCompatible: 'no' }),
  row('ODC-By-1.0', 'Open Data Commons Attribution License 1.0', 'permissive', 'data license: attribution for the database; produced works are free', { gplCompatible: 'no' }),
  ...CC_VERSIONS.map((v) => row(`CC-BY-${v}`, `Creative Commons Attribution ${v}`, 'permissive',
    v === '4.0' ? 'attribution only; the FSF considers it compatible with GPL-3.0, not with GPL-2.0' : 'attribution only; no published GPL compatibility (the FSF\'s statement covers 4.0 only)',
    { gplCompatible: v === '4.0' ? 'v3-only' : 'no' })),

  // Weak copyleft: share-alike for the licensed files or library only.
  row('MPL-2.0', 'Mozilla Public License 2.0', 'weak-copyleft', 'file-level copyleft: changed MPL files stay MPL, larger works may use any license; GPL, LGPL and AGPL are its Secondary Licenses'),
  ...['2.0', '2.1', '3.0'].flatMap((v) => ['only', 'or-later'].map((s) => row(`LGPL-${v}-${s}`, `GNU Lesser General Public License ${v} ${s}`, 'weak-copyleft',
    'library copyleft: the library and changes to it stay LGPL; works that use it keep their license if users can replace the library', { copyleft: 'library' }))),
  row('LGPLLR', 'Lesser General Public License For Linguistic Resources', 'weak-copyleft', 'LGPL for linguistic resources: a changed resource stays LGPLLR, works that use it are free', { copyleft: 'library' }),
  row('EPL-1.0', 'Eclipse Public License 1.0', 'weak-copyleft', 'module-level copyleft; its patent and choice-of-law terms make it GPL-incompatible'),
  row('EPL-2.0', 'Eclipse Public License 2.0', 'weak-copyleft', 'module-level copyleft; GPL-compatible only if the licensor names GPL-2.0 a Secondary License, which an identifier does not show'),
  row('MS-PL', 'Microsoft Public License', 'weak-copyleft', 'source copies stay MS-PL; GPL-incompatible (FSF)'),
  row('MS-RL', 'Microsoft Reciprocal License', 'weak-copyleft', 'file-level copyleft; GPL-incompatible (FSF)'),
  row('LPPL-1.3c', 'LaTeX Project Public License 1.3c', 'weak-copyleft', 'changed files must be renamed or clearly marked; GPL-incompatible (FSF)'),
  row('OFL-1.1', 'SIL Open Font License 1.1', 'weak-copyleft', 'fonts: changed fonts stay OFL under a new name and may not be sold alone'),
  row('CDLA-Sharing-1.0', 'Community Data License Agreement Sharing 1.0', 'weak-copyleft', 'share-alike for the data itself; Results of computational use are not covered'),
  row('ODbL-1.0', 'Open Data Commons Open Database License 1.0', 'weak-copyleft', 'share-alike for the database and derivative databases; produced works are free'),
  row('C-UDA-1.0', 'Computational Use of Data Agreement 1.0', 'weak-copyleft', 'data may be used only for computational use, training included; Results are free; the data itself travels only under the agreement'),

  // Strong copyleft: share-alike for the whole distributed work.
  row('GPL-1.0-or-later', 'GNU General Public License, any version', 'strong-copyleft', `${GPL_RATIONALE}; with no version named, any version may be chosen`, { gplVersions: [2, 3] }),
  row('GPL-2.0-only', 'GNU General Public License 2.0 only', 'strong-copyleft', GPL_RATIONALE, { gplVersions: [2] }),
  row('GPL-2.0-or-later', 'GNU General Public License 2.0 or later', 'strong-copyleft', `${GPL_RATIONALE}; may be upgraded to GPL-3.0`, { gplVersions: [2, 3] }),
  row('GPL-3.0-only', 'GNU General Public License 3.0 only', 'strong-copyleft', `${GPL_RATIONALE}; §13 allows combining with AGPL-3.0`, { gplVersions: [3] }),
  row('GPL-3.0-or-later', 'GNU General Public License 3.0 or later', 'strong-copyleft', `${GPL_RATIONALE}; §13 allows combining with AGPL-3.0`, { gplVersions: [3] }),
  ...CC_VERSIONS.map((v) => row(`CC-BY-SA-${v}`, `Creative Commons Attribution-ShareAlike ${v}`, 'strong-copyleft',
    v === '4.0' ? 'adaptations must be BY-SA 4.0 or a compatible license; GPL-3.0 is declared one-way compatible (2015)' : 'adaptations must be BY-SA of this or a later version')),
  ...['1.1', '1.2', '1.3'].flatMap((v) => ['only', 'or-later'].map((s) => row(`GFDL-${v}-${s}`, `GNU Free Documentation License ${v} ${s}`, 'strong-copyleft',
    'copyleft for documentation; incompatible with the GPL in both directions; invariant sections must be kept'))),

  // Network copyleft: serving the work over a network triggers the source obligation.
  row('AGPL-3.0-only', 'GNU Affero General Public License 3.0 only', 'network-copyleft', 'GPL-3.0 plus §13: users of a modified version over a network must be offered its source', { gplVersions: [3] }),
  row('AGPL-3.0-or-later', 'GNU Affero General Public License 3.0 or later', 'network-copyleft', 'GPL-3.0 plus §13: users of a modified version over a network must be offered its source', { gplVersions: [3] }),
  row('EUPL-1.1', 'European Union Public License 1.1', 'network-copyleft', 'copyleft that also covers giving online access to the work\'s functions; combined works may go under GPL-2.0, OSL, EPL-1.0, CPL or CeCILL'),
  row('EUPL-1.2', 'European Union Public License 1.2', 'network-copyleft', 'as EUPL-1.1, with GPL-3.0, AGPL-3.0, LGPL, MPL-2.0 and CC-BY-SA-3.0 added to its compatible licenses'),
  row('OSL-3.0', 'Open Software License 3.0', 'network-copyleft', 'copyleft whose External Deployment clause treats network use as distribution; GPL-incompatible'),

  // Non-commercial.
  ...['2.0', '3.0', '4.0'].map((v) => row(`CC-BY-NC-${v}`, `Creative Commons Attribution-NonCommercial ${v}`, 'non-commercial', 'adaptations allowed, but no use primarily intended for commercial advantage')),
  ...['2.0', '3.0', '4.0'].map((v) => row(`CC-BY-NC-SA-${v}`, `Creative Commons Attribution-NonCommercial-ShareAlike ${v}`, 'non-commercial', 'non-commercial, and adaptations must be shared alike', { copyleft: 'program' })),
  row('LicenseRef-DeepFloyd-IF', 'DeepFloyd IF License Agreement', 'non-commercial', 'research-only, non-commercial license with RAIL-style use restrictions', { useRestrictions: true, conditions: [RAIL_FLOW_DOWN] }),

  // No derivatives.
  row('CC-BY-ND-3.0', 'Creative Commons Attribution-NoDerivs 3.0', 'no-derivatives', 'grants no right to adapt the work at all'),
  row('CC-BY-ND-4.0', 'Creative Commons Attribution-NoDerivatives 4.0', 'no-derivatives', 'adaptations may be made but never shared (§2(a)(1)(B))', { derivatives: 'private-only' }),
  row('CC-BY-NC-ND-3.0', 'Creative Commons Attribution-NonCommercial-NoDerivs 3.0', 'no-derivatives', 'no right to adapt, and no commercial use', { commercial: false }),
  row('CC-BY-NC-ND-4.0', 'Creative Commons Attribution-NonCommercial-NoDerivatives 4.0', 'no-derivatives', 'adaptations may be made but never shared, and no commercial use', { commercial: false, derivatives: 'private-only' }),

  // Responsible AI licenses: open use, with behavioural restrictions that flow down to derivatives.
  row('LicenseRef-OpenRAIL', 'Open RAIL (unspecified member of the family)', 'use-restricted', 'royalty-free, derivatives allowed; the use restrictions bind every derivative and user', { conditions: [RAIL_FLOW_DOWN] }),
  row('LicenseRef-OpenRAIL-M', 'Open RAIL-M', 'use-restricted', 'RAIL for models: derivatives of the model, including fine-tunes and distillations, must carry the use restrictions', { conditions: [RAIL_FLOW_DOWN] }),
  row('LicenseRef-OpenRAIL-PlusPlus-M', 'CreativeML Open RAIL++-M', 'use-restricted', 'Stable Diffusion XL\'s RAIL-M variant; same flow-down of use restrictions', { conditions: [RAIL_FLOW_DOWN] }),
  row('LicenseRef-CreativeML-OpenRAIL-M', 'CreativeML Open RAIL-M', 'use-restricted', 'Stable Diffusion\'s RAIL-M: use restrictions flow down to derivatives; outputs are the user\'s', { conditions: [RAIL_FLOW_DOWN] }),
  row('LicenseRef-BigScience-OpenRAIL-M', 'BigScience Open RAIL-M', 'use-restricted', 'RAIL-M of BigScience: use restrictions flow down to derivatives', { conditions: [RAIL_FLOW_DOWN] }),
  row('LicenseRef-BigScience-BLOOM-RAIL-1.0', 'BigScience BLOOM RAIL 1.0', 'use-restricted', 'BLOOM\'s RAIL: use restrictions flow down to derivatives', { conditions: [RAIL_FLOW_DOWN] }),
  row('LicenseRef-BigCode-OpenRAIL-M', 'BigCode Open RAIL-M', 'use-restricted', 'RAIL-M of BigCode (StarCoder): use restrictions flow down to derivatives', { conditions: [RAIL_FLOW_DOWN] }),

  // Community licenses: commercial use with caps, naming rules and a licensor-controlled policy.
  row('LicenseRef-Llama-2', 'Llama 2 Community License', 'community', 'fine-tuning and commercial use allowed, with a user cap, an acceptable-use policy and a ban on improving other LLMs', {
    conditions: [LLAMA_MAU, llamaAup('2'), llamaNotice('Llama 2'), 'do not use Llama 2 or its output to improve any large language model other than Llama 2 and its derivatives'] }),
  row('LicenseRef-Llama-3', 'Meta Llama 3 Community License', 'community', 'as Llama 2, plus naming and "Built with Meta Llama 3" attribution rules', {
    conditions: [LLAMA_MAU, llamaAup('3'), llamaNotice('Meta Llama 3'), 'display "Built with Meta Llama 3" and begin the name of a distributed derivative model with "Llama 3"', 'do not use Llama 3 or its output to improve any large language model other than Llama 3 and its derivatives'] }),
  row('LicenseRef-Llama-3.1', 'Llama 3.1 Community License', 'community', 'as Llama 3, but output may train other models; naming and attribution rules', {
    conditions: [LLAMA_MAU, llamaAup('3.1'), LLAMA_31_NAMING, llamaNotice('Llama 3.1')] }),
  row('LicenseRef-Llama-3.2', 'Llama 3.2 Community License', 'community', 'as Llama 3.1; its policy grants no rights to the multimodal models to people or companies in the EU', {
    conditions: [LLAMA_MAU, llamaAup('3.2'), LLAMA_31_NAMING, llamaNotice('Llama 3.2'), 'no rights to the multimodal (vision) models for individuals domiciled, or companies with their principal place of business, in the European Union (end users of a product built on them are not affected)'] }),
  row('LicenseRef-Llama-3.3', 'Llama 3.3 Community License', 'community', 'as Llama 3.1', {
    conditions: [LLAMA_MAU, llamaAup('3.3'), LLAMA_31_NAMING, llamaNotice('Llama 3.3')] }),
  row('LicenseRef-Gemma', 'Gemma Terms of Use', 'community', 'fine-tuning and commercial use allowed; the prohibited-use policy flows down, Google may update it and restrict use remotely', {
    conditions: [
      'follow the Gemma Prohibited Use Policy, include its restrictions as an enforceable provision in the terms of every distributed derivative, and give recipients a copy of the Gemma Terms of Use',
      'mark modified files and ship a NOTICE saying Gemma is provided under the Gemma Terms of Use',
      'watch for updates: Google may change the Prohibited Use Policy and restrict use it believes violates the terms',
    ] }),
];

const BY_ID = new Map(LICENSE_TERMS.map((terms) => [terms.id, terms]));

/** The terms we know for an SPDX id or LicenseRef, or undefined when the license is not in the table. */
export function termsFor(id: string): LicenseTerms | undefined {
  return BY_ID.get(id);
}
