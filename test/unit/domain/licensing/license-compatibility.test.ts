import { expect } from 'chai';
import {
  checkLicenseCompatibility,
  normalizeGitHubLicense,
  normalizeHuggingFaceLicense,
  termsFor,
  type GitHubLicenseFields,
  type HuggingFaceLicenseFields,
  type LicenseFamily,
  type LicenseUse,
} from '../../../../src/domain/licensing';

interface Row {
  model: HuggingFaceLicenseFields;
  code: GitHubLicenseFields | null;
  use?: Partial<Omit<LicenseUse, 'purpose'>>;
  compatible: boolean;
  /** A substring of one reason: the key reason for the verdict. */
  reason: string;
  /** A substring of one obligation, when an obligation is the point of the row. */
  obligation?: string;
}

const hf = (license: string | string[]): HuggingFaceLicenseFields => ({ license });
const gh = (spdx_id: string): GitHubLicenseFields => ({ spdx_id });
const PRIVATE = { distribute: false };
const RESEARCH = { commercial: false };

// Real values: google/gemma-3-270m and google/gemma-2-2b declare `gemma`, openai/whisper-tiny `apache-2.0`,
// roberta-base `mit`, parvk11/audience_classifier_model nothing; on GitHub google-research/big_vision and
// google-research/bert report Apache-2.0, openai/whisper MIT, kabirraymalik/gello-bimanual-ur3 no license.
const TABLE: Row[] = [
  // Permissive and public domain.
  { model: hf('apache-2.0'), code: gh('MIT'), compatible: true, reason: 'compatible: model Apache-2.0 with code MIT' },
  { model: hf('mit'), code: gh('Apache-2.0'), compatible: true, reason: 'code license Apache-2.0 (permissive)' },
  { model: hf('bsd-3-clause'), code: gh('BSD-2-Clause'), compatible: true, reason: 'model license BSD-3-Clause (permissive)' },
  { model: hf('cc0-1.0'), code: gh('Unlicense'), compatible: true, reason: 'model license CC0-1.0 (public-domain)' },
  { model: hf('isc'), code: gh('0BSD'), compatible: true, reason: 'code license 0BSD (public-domain)' },
  { model: hf('apache-2.0'), code: gh('MIT'), compatible: true, reason: 'compatible', obligation: 'keep the NOTICE file' },

  // Weak copyleft: reaches only the licensed files or library.
  { model: hf('mpl-2.0'), code: gh('Apache-2.0'), compatible: true, reason: 'model license MPL-2.0 (weak-copyleft)', obligation: 'distribute the changed model files' },
  { model: hf('lgpl-2.1'), code: gh('MIT'), compatible: true, reason: 'model license LGPL-2.1-only (weak-copyleft)' },
  { model: hf('apache-2.0'), code: gh('LGPL-3.0'), compatible: true, reason: 'code license LGPL-3.0-only (weak-copyleft)', obligation: "distribute the code's files" },
  { model: hf('epl-1.0'), code: gh('GPL-3.0'), compatible: true, reason: 'model license EPL-1.0 (weak-copyleft)' },

  // Strong copyleft on the model: the distributed result must be shared alike, code included.
  { model: hf('gpl-3.0'), code: gh('Apache-2.0'), compatible: true, reason: 'Apache-2.0 can be part of a work under GPL-3.0-only' },
  { model: hf('gpl-2.0'), code: gh('Apache-2.0'), compatible: false, reason: 'Apache-2.0 is not compatible with GPL-2.0' },
  { model: hf('gpl-2.0'), code: gh('MIT'), compatible: true, reason: 'MIT can be part of a work under GPL-2.0-only' },
  { model: hf('gpl-3.0'), code: gh('GPL-2.0'), compatible: false, reason: 'must be licensed under GPL-3.0-only, and GPL-2.0-only cannot be' },
  { model: hf('GPL-2.0+'), code: gh('Apache-2.0'), compatible: true, reason: 'may join a work under GPL-3.0' },
  { model: hf('gpl-3.0'), code: gh('MPL-2.0'), compatible: true, reason: 'Secondary Licenses' },
  { model: hf('gpl-3.0'), code: gh('EPL-1.0'), compatible: false, reason: 'EPL-1.0 carries its own terms' },
  { model: hf('gpl-2.0'), code: gh('Apache-2.0'), use: PRIVATE, compatible: true, reason: 'share-alike terms of GPL-2.0-only are not triggered' },
  { model: hf('gpl-3.0'), code: gh('LGPL-2.1'), compatible: true, reason: 'LGPL-2.x §3' },

  // Copyleft on the code stays on the code.
  { model: hf('apache-2.0'), code: gh('GPL-3.0'), compatible: true, reason: 'the copyleft of GPL-3.0-only stays on the code', obligation: 'under GPL-3.0-only with source' },
  { model: hf('apache-2.0'), code: gh('GPL-2.0'), compatible: true, reason: 'the copyleft of GPL-2.0-only stays on the code' },

  // Network copyleft: serving inference triggers it.
  { model: hf('mit'), code: gh('AGPL-3.0'), use: PRIVATE, compatible: true, reason: 'code license AGPL-3.0-only (network-copyleft)', obligation: 'serve inference with it over a network' },
  { model: hf('agpl-3.0'), code: gh('GPL-2.0'), use: PRIVATE, compatible: false, reason: 'must be licensed under AGPL-3.0-only, and GPL-2.0-only cannot be' },
  { model: hf('agpl-3.0'), code: gh('Apache-2.0'), use: PRIVATE, compatible: true, reason: 'Apache-2.0 can be part of a work under AGPL-3.0-only', obligation: 'to everyone who uses it over a network' },
  { model: hf('eupl-1.1'), code: gh('GPL-2.0'), compatible: true, reason: 'EUPL-1.1 §5' },

  // Creative Commons: BY, SA, NC, ND.
  { model: hf('cc-by-4.0'), code: gh('MIT'), compatible: true, reason: 'model license CC-BY-4.0 (permissive)' },
  { model: hf('cc-by-sa-4.0'), code: gh('MIT'), compatible: true, reason: 'MIT can be part of a work under CC-BY-SA-4.0' },
  { model: hf('cc-by-sa-4.0'), code: gh('GPL-3.0'), compatible: true, reason: 'declared BY-SA 4.0 one-way compatible with GPL-3.0' },
  { model: hf('cc-by-sa-3.0'), code: gh('GPL-3.0'), compatible: false, reason: 'must be licensed under CC-BY-SA-3.0, and GPL-3.0-only cannot be' },
  { model: hf('cc-by-sa-3.0'), code: gh('CC-BY-SA-4.0'), compatible: true, reason: 'later BY-SA version' },
  { model: hf('cc-by-nc-4.0'), code: gh('MIT'), compatible: false, reason: 'model license CC-BY-NC-4.0 is non-commercial' },
  { model: hf('cc-by-nc-4.0'), code: gh('MIT'), use: RESEARCH, compatible: true, reason: 'non-commercial use', obligation: 'non-commercial purposes only' },
  { model: hf('cc-by-nd-4.0'), code: gh('MIT'), compatible: false, reason: 'forbids sharing adaptations' },
  { model: hf('cc-by-nd-4.0'), code: gh('MIT'), use: PRIVATE, compatible: true, reason: 'result kept private', obligation: 'keep the fine-tuned model private' },
  { model: hf('CC-BY-ND-3.0'), code: gh('MIT'), use: PRIVATE, compatible: false, reason: 'forbids derivatives, and fine-tuning creates a derivative model' },
  { model: hf('cc-by-nc-nd-4.0'), code: gh('Apache-2.0'), use: RESEARCH, compatible: false, reason: 'forbids sharing adaptations' },
  { model: hf('cc-by-nc-sa-4.0'), code: gh('MIT'), use: RESEARCH, compatible: true, reason: 'MIT can be part of a work under CC-BY-NC-SA-4.0' },
  { model: hf('cc-by-nc-sa-4.0'), code: gh('GPL-3.0'), use: RESEARCH, compatible: false, reason: 'GPL-3.0-only cannot be' },
  { model: hf('apache-2.0'), code: gh('CC-BY-NC-4.0'), compatible: false, reason: 'code license CC-BY-NC-4.0 is non-commercial' },

  // Responsible AI licenses: use restrictions flow down, an obligation rather than a conflict.
  { model: hf('creativeml-openrail-m'), code: gh('MIT'), compatible: true, reason: 'LicenseRef-CreativeML-OpenRAIL-M (use-restricted)', obligation: 'use restrictions flow down' },
  { model: hf('bigscience-bloom-rail-1.0'), code: gh('Apache-2.0'), compatible: true, reason: 'LicenseRef-BigScience-BLOOM-RAIL-1.0 (use-restricted)', obligation: 'enforceable provision' },
  { model: hf('bigcode-openrail-m'), code: gh('GPL-3.0'), compatible: true, reason: 'the copyleft of GPL-3.0-only stays on the code' },
  { model: hf('openrail++'), code: gh('AGPL-3.0'), compatible: true, reason: 'LicenseRef-OpenRAIL-PlusPlus-M', obligation: 'over a network' },
  { model: hf('bigscience-openrail-m'), code: gh('BSD-3-Clause'), compatible: true, reason: 'LicenseRef-BigScience-OpenRAIL-M (use-restricted)' },
  { model: hf('gpl-3.0'), code: { name: 'OpenRAIL-M' }, compatible: false, reason: 'LicenseRef-OpenRAIL-M cannot be' },

  // Llama community licenses.
  { model: hf('llama2'), code: gh('MIT'), compatible: true, reason: 'LicenseRef-Llama-2 (community)', obligation: '700 million monthly active users' },
  { model: hf('llama3'), code: gh('Apache-2.0'), compatible: true, reason: 'LicenseRef-Llama-3 (community)', obligation: 'Built with Meta Llama 3' },
  { model: { license: 'other', license_name: 'llama3.1' }, code: gh('Apache-2.0'), compatible: true, reason: 'LicenseRef-Llama-3.1', obligation: 'Built with Llama' },
  { model: hf('llama3.2'), code: gh('MIT'), compatible: true, reason: 'LicenseRef-Llama-3.2', obligation: 'European Union' },
  { model: hf('llama3.3'), code: gh('GPL-2.0'), compatible: true, reason: 'the copyleft of GPL-2.0-only stays on the code' },

  // Gemma, with the real reference repositories.
  { model: hf('gemma'), code: gh('Apache-2.0'), compatible: true, reason: 'LicenseRef-Gemma (community)', obligation: 'Gemma Prohibited Use Policy' },
  { model: hf('gemma'), code: null, compatible: false, reason: 'GitHub detected no license file' },
  { model: { tags: ['transformers', 'gemma3', 'license:gemma'] }, code: gh('MIT'), compatible: true, reason: 'LicenseRef-Gemma', obligation: 'restrict use it believes violates the terms' },

  // Non-commercial model licenses outside Creative Commons.
  { model: hf('deepfloyd-if-license'), code: gh('MIT'), compatible: false, reason: 'LicenseRef-DeepFloyd-IF is non-commercial' },
  { model: hf('deepfloyd-if-license'), code: gh('MIT'), use: RESEARCH, compatible: true, reason: 'non-commercial use', obligation: 'use restrictions flow down' },

  // Unknown, missing, unnamed: never compatible by default.
  { model: {}, code: gh('MIT'), compatible: false, reason: 'cannot be determined: the model declares no license' },
  { model: hf('other'), code: gh('MIT'), compatible: false, reason: '"other" without naming the license' },
  { model: hf('unknown'), code: gh('MIT'), compatible: false, reason: 'the license is unknown' },
  { model: { license: 'other', license_name: 'qwen', license_link: 'LICENSE' }, code: gh('MIT'), compatible: false, reason: 'license_name "qwen"' },
  { model: hf('apache-2.0'), code: { spdx_id: 'NOASSERTION', key: 'other', name: 'Other' }, compatible: false, reason: 'NOASSERTION' },
  { model: hf('cc'), code: gh('MIT'), compatible: false, reason: 'names the Creative Commons family but not which license' },
  { model: hf('LicenseRef-Acme-Internal'), code: gh('MIT'), compatible: false, reason: 'LicenseRef-Acme-Internal is not in the rule table' },

  // AND, OR and WITH.
  { model: hf('MIT OR GPL-2.0-only'), code: gh('Apache-2.0'), compatible: true, reason: 'the most favourable branch is used: MIT' },
  { model: hf('GPL-2.0-only OR GPL-3.0-only'), code: gh('Apache-2.0'), compatible: true, reason: 'the most favourable branch is used: GPL-3.0-only' },
  { model: hf('CC-BY-NC-4.0 OR CC-BY-ND-4.0'), code: gh('MIT'), compatible: false, reason: 'no branch is compatible; the closest is shown' },
  { model: hf('apache-2.0'), code: { name: 'MIT OR CC-BY-NC-4.0' }, compatible: true, reason: 'code license MIT OR CC-BY-NC-4.0 offers a choice' },
  { model: hf('Apache-2.0 AND LicenseRef-OpenRAIL-M'), code: gh('MIT'), compatible: true, reason: 'LicenseRef-OpenRAIL-M (use-restricted)', obligation: 'use restrictions flow down' },
  { model: hf('GPL-3.0-only AND LicenseRef-OpenRAIL-M'), code: gh('MIT'), compatible: false, reason: 'LicenseRef-OpenRAIL-M cannot be' },
  { model: hf(['apache-2.0', 'cc-by-nc-4.0']), code: gh('MIT'), compatible: false, reason: 'CC-BY-NC-4.0 is non-commercial' },
  { model: hf('GPL-2.0-only WITH Classpath-exception-2.0'), code: gh('Apache-2.0'), compatible: true, reason: 'Classpath-exception-2.0 relaxes GPL-2.0-only' },
  { model: hf('gpl-2.0'), code: { name: 'Apache-2.0 WITH LLVM-exception' }, compatible: true, reason: 'code exception LLVM-exception relaxes Apache-2.0' },
  { model: hf('GPL-2.0-only WITH Linux-syscall-note'), code: gh('Apache-2.0'), compatible: false, reason: 'Linux-syscall-note is not interpreted' },

  // Malformed input.
  { model: hf('MIT OR'), code: gh('MIT'), compatible: false, reason: 'not a well-formed SPDX expression' },
  { model: hf('Apache 2'), code: gh('MIT'), compatible: true, reason: 'confidence "corrected"' },
  { model: hf('gpl-3.0'), code: { name: 'GPLv3+' }, compatible: true, reason: 'GPL-3.0-or-later can be part of a work under GPL-3.0-only' },
  { model: hf(''), code: gh('MIT'), compatible: false, reason: 'the model declares no license' },
  { model: hf('a'.repeat(5000)), code: gh('MIT'), compatible: false, reason: 'too long for a license identifier' },
  { model: hf("'; DROP TABLE artifacts; --"), code: gh('MIT'), compatible: false, reason: 'is not a license we recognise' },
  { model: hf('mit'), code: gh('mit or'), compatible: false, reason: 'code license cannot be determined' },
];

/** The worked examples of docs/licensing.md, with the real reference models and repositories. */
const WORKED_EXAMPLES: Array<Row & { title: string }> = [
  { title: 'google/gemma-3-270m + google-research/big_vision', model: { license: 'gemma', tags: ['license:gemma'] }, code: { spdx_id: 'Apache-2.0' }, compatible: true, reason: 'LicenseRef-Gemma (community)', obligation: 'give recipients a copy of the Gemma Terms of Use' },
  { title: 'meta-llama/Llama-3.1-8B + openai/whisper', model: hf('llama3.1'), code: gh('MIT'), compatible: true, reason: 'LicenseRef-Llama-3.1 (community)', obligation: 'begin the name of a distributed derivative model with "Llama"' },
  { title: 'a cc-by-nc-4.0 model + google-research/bert', model: hf('cc-by-nc-4.0'), code: gh('Apache-2.0'), compatible: false, reason: 'model license CC-BY-NC-4.0 is non-commercial, and the use may be commercial (ACME is an enterprise)' },
  { title: 'a cc-by-nc-4.0 model + google-research/bert, for research', model: hf('cc-by-nc-4.0'), code: gh('Apache-2.0'), use: RESEARCH, compatible: true, reason: 'non-commercial use', obligation: 'use the model and the fine-tuned model for non-commercial purposes only' },
  { title: 'openai/whisper-tiny + a GPL-2.0 repository', model: hf('apache-2.0'), code: { spdx_id: 'GPL-2.0', key: 'gpl-2.0' }, compatible: true, reason: 'the copyleft of GPL-2.0-only stays on the code: the fine-tuned weights are output of running it', obligation: 'distribute the code, and programs built from it, under GPL-2.0-only with source' },
  { title: 'a gpl-2.0 model + google-research/big_vision', model: hf('gpl-2.0'), code: gh('Apache-2.0'), compatible: false, reason: 'the distributed result must be licensed under GPL-2.0-only, and Apache-2.0 cannot be: Apache-2.0 is not compatible with GPL-2.0' },
  { title: 'a cc-by-sa-4.0 model + a GPL-3.0 repository', model: hf('cc-by-sa-4.0'), code: gh('GPL-3.0'), compatible: true, reason: 'CC-BY-SA-4.0 can be part of a work under GPL-3.0-only: Creative Commons declared BY-SA 4.0 one-way compatible with GPL-3.0 in 2015', obligation: 'distribute the fine-tuned model, and the code shipped with it, under GPL-3.0-only' },
  { title: 'parvk11/audience_classifier_model + openai/whisper', model: { license: null, tags: ['transformers', 'distilbert'] }, code: gh('MIT'), compatible: false, reason: 'model license cannot be determined: the model declares no license' },
  { title: 'google/gemma-2-2b + kabirraymalik/gello-bimanual-ur3', model: hf('gemma'), code: null, compatible: false, reason: 'code license cannot be determined: GitHub detected no license file in the repository' },
  { title: 'an MIT OR GPL-2.0-only model + Apache-2.0 code', model: hf('MIT OR GPL-2.0-only'), code: gh('Apache-2.0'), compatible: true, reason: 'the most favourable branch is used: MIT' },
];

function describeUse(use: Row['use']): string {
  const parts = [use?.commercial === false ? 'non-commercial' : '', use?.distribute === false ? 'private' : ''].filter((part) => part !== '');
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function label(fields: object | null): string {
  return JSON.stringify(fields).slice(0, 60);
}

describe('checkLicenseCompatibility', () => {
  for (const row of TABLE) {
    it(`when the model is ${label(row.model)} and the code ${label(row.code)}${describeUse(row.use)}, then ${row.compatible ? 'compatible' : 'not compatible'}: "${row.reason}"`, () => {
      const result = checkLicenseCompatibility(normalizeHuggingFaceLicense(row.model), normalizeGitHubLicense(row.code), row.use);

      expect(result.compatible, result.reasons.join('\n')).to.equal(row.compatible);
      expect(result.reasons.join('\n')).to.include(row.reason);
      if (row.obligation !== undefined) expect(result.obligations.join('\n')).to.include(row.obligation);
    });
  }

  for (const row of WORKED_EXAMPLES) {
    it(`when the worked example "${row.title}"${describeUse(row.use)} is checked, then it is ${row.compatible ? 'compatible' : 'not compatible'} as docs/licensing.md says`, () => {
      const result = checkLicenseCompatibility(normalizeHuggingFaceLicense(row.model), normalizeGitHubLicense(row.code), row.use);

      expect(result.compatible).to.equal(row.compatible);
      expect(result.reasons).to.satisfy((reasons: string[]) => reasons.some((reason) => reason.includes(row.reason)));
      if (row.obligation !== undefined) expect(result.obligations.join('\n')).to.include(row.obligation);
    });
  }

  it('when the table is read, then it has at least 40 pairs and covers every family and the unknown case', () => {
    const families = new Set<LicenseFamily | 'unknown'>();
    for (const row of TABLE) {
      for (const license of [normalizeHuggingFaceLicense(row.model), normalizeGitHubLicense(row.code)]) {
        if (license.ids.length === 0) families.add('unknown');
        for (const id of license.ids) families.add(termsFor(id)?.family ?? 'unknown');
      }
    }

    expect(TABLE.length).to.be.at.least(40);
    expect([...families].sort()).to.deep.equal([
      'community', 'network-copyleft', 'no-derivatives', 'non-commercial', 'permissive', 'public-domain',
      'strong-copyleft', 'unknown', 'use-restricted', 'weak-copyleft',
    ]);
  });

  it('when no use is given, then the use is commercial, distributed fine-tuning and inference', () => {
    const result = checkLicenseCompatibility(normalizeHuggingFaceLicense(hf('mit')), normalizeGitHubLicense(gh('MIT')));

    expect(result.use).to.deep.equal({ purpose: 'fine-tune+inference', commercial: true, distribute: true });
  });

  it('when the model offers a choice, then the verdict names the branch it chose and where the license came from', () => {
    const result = checkLicenseCompatibility(normalizeHuggingFaceLicense(hf('GPL-2.0-only OR MIT')), normalizeGitHubLicense(gh('Apache-2.0')));

    expect(result.model).to.deep.equal({ expression: 'GPL-2.0-only OR MIT', chosen: 'MIT', source: 'huggingface:license', confidence: 'exact' });
    expect(result.code).to.deep.equal({ expression: 'Apache-2.0', chosen: 'Apache-2.0', source: 'github:spdx_id', confidence: 'exact' });
  });

  it('when both licenses cannot be determined, then both reasons are given and there are no obligations', () => {
    const result = checkLicenseCompatibility(normalizeHuggingFaceLicense({}), normalizeGitHubLicense(null));

    expect(result.compatible).to.equal(false);
    expect(result.reasons.filter((reason) => / license cannot be determined: /.test(reason))).to.deep.equal([
      'model license cannot be determined: the model declares no license (no license field, no license tag)',
      'code license cannot be determined: GitHub detected no license file in the repository',
    ]);
    expect(result.obligations).to.deep.equal([]);
  });

  it('when a license expression offers more choices than can be evaluated, then the verdict is not compatible', () => {
    const many = Array.from({ length: 6 }, (_, i) => `(MIT OR ${['ISC', 'Zlib', 'NCSA', '0BSD', 'BSL-1.0', 'Unlicense'][i]})`).join(' AND ');
    const model = normalizeHuggingFaceLicense(hf(many));

    const result = checkLicenseCompatibility(model, normalizeGitHubLicense(gh('MIT')));

    expect(model.expression).to.not.equal(undefined);
    expect(result.compatible).to.equal(false);
    expect(result.reasons.join('\n')).to.include('too many alternatives');
  });

  it('when a hand-built license carries a malformed expression, then it cannot be determined rather than throwing', () => {
    const result = checkLicenseCompatibility({ expression: 'MIT OR', ids: ['MIT'], source: 'caller', confidence: 'exact' }, normalizeGitHubLicense(gh('MIT')));

    expect(result.compatible).to.equal(false);
    expect(result.reasons.join('\n')).to.include('"MIT OR" is not a well-formed SPDX expression');
  });

  it('when an obligation would be listed twice, then it is listed once', () => {
    const result = checkLicenseCompatibility(normalizeHuggingFaceLicense(hf('Apache-2.0 AND Apache-2.0')), normalizeGitHubLicense(gh('MIT')));

    expect(result.obligations).to.deep.equal([...new Set(result.obligations)]);
    expect(result.obligations.filter((o) => o.includes('NOTICE'))).to.have.length(1);
  });
});
