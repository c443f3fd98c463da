import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import parse from 'spdx-expression-parse';
import spdxIds from 'spdx-license-ids/index.json';
import {
  normalizeGitHubLicense,
  normalizeHuggingFaceLicense,
  normalizeLicense,
  termsFor,
  type Confidence,
  type NormalizedLicense,
} from '../../../../src/domain/licensing';
import { GITHUB_REPOS_PATH, HF_MODELS_PATH } from '../../../support/reference-data';

/** Hugging Face's `license:` vocabulary, as the Hub documents it. */
const HF_IDS = [
  'apache-2.0', 'mit', 'openrail', 'openrail++', 'creativeml-openrail-m', 'bigscience-openrail-m', 'bigscience-bloom-rail-1.0',
  'bigcode-openrail-m', 'afl-3.0', 'artistic-2.0', 'bsl-1.0', 'bsd', 'bsd-2-clause', 'bsd-3-clause', 'bsd-3-clause-clear', 'c-uda',
  'cc0-1.0', 'cc-by-2.0', 'cc-by-2.5', 'cc-by-3.0', 'cc-by-4.0', 'cc-by-sa-3.0', 'cc-by-sa-4.0', 'cc-by-nc-2.0', 'cc-by-nc-3.0',
  'cc-by-nc-4.0', 'cc-by-nd-4.0', 'cc-by-nc-nd-3.0', 'cc-by-nc-nd-4.0', 'cc-by-nc-sa-2.0', 'cc-by-nc-sa-3.0', 'cc-by-nc-sa-4.0',
  'cdla-sharing-1.0', 'cdla-permissive-1.0', 'cdla-permissive-2.0', 'wtfpl', 'ecl-2.0', 'epl-1.0', 'epl-2.0', 'etalab-2.0', 'eupl-1.1',
  'agpl-3.0', 'gfdl', 'gpl', 'gpl-2.0', 'gpl-3.0', 'lgpl', 'lgpl-2.1', 'lgpl-3.0', 'isc', 'lppl-1.3c', 'ms-pl', 'apple-ascl', 'mpl-2.0',
  'odc-by', 'odbl', 'osl-3.0', 'postgresql', 'ofl-1.1', 'ncsa', 'unlicense', 'zlib', 'pddl', 'lgpl-lr', 'deepfloyd-if-license',
  'llama2', 'llama3', 'llama3.1', 'llama3.2', 'llama3.3', 'gemma',
];
const NOT_LICENSES = ['unknown', 'other', 'cc'];
const SPDX = new Set<string>(spdxIds);

function hf(license: string): NormalizedLicense {
  return normalizeHuggingFaceLicense({ license });
}

function expectLicense(actual: NormalizedLicense, expression: string | undefined, confidence: Confidence): void {
  expect({ expression: actual.expression, confidence: actual.confidence }).to.deep.equal({ expression, confidence });
}

describe('normalizeHuggingFaceLicense', () => {
  for (const id of HF_IDS) {
    it(`when the card says "${id}", then it is a valid SPDX expression or LicenseRef with a rule in the table`, () => {
      const license = hf(id);

      expect(license.expression, license.note).to.be.a('string');
      expect(() => parse(license.expression ?? '')).to.not.throw();
      for (const each of license.ids) {
        expect(SPDX.has(each) || each.startsWith('LicenseRef-'), each).to.equal(true);
        expect(termsFor(each), each).to.not.equal(undefined);
      }
    });
  }

  for (const id of NOT_LICENSES) {
    it(`when the card says only "${id}", then the license is unknown and the note says why`, () => {
      const license = hf(id);

      expectLicense(license, undefined, 'unknown');
      expect(license.note).to.be.a('string').and.not.equal('');
    });
  }

  const EXPECTED: Array<[string, string, Confidence]> = [
    ['apache-2.0', 'Apache-2.0', 'exact'],
    ['gpl-3.0', 'GPL-3.0-only', 'corrected'],
    ['agpl-3.0', 'AGPL-3.0-only', 'corrected'],
    ['gpl', 'GPL-1.0-or-later', 'inferred'],
    ['bsd', 'BSD-3-Clause', 'inferred'],
    // spdx-correct alone would say BSD-3-Clause, CDL-1.0 and LGPL-3.0-or-later for these three.
    ['bsd-3-clause-clear', 'BSD-3-Clause-Clear', 'exact'],
    ['cdla-permissive-2.0', 'CDLA-Permissive-2.0', 'exact'],
    ['lgpl-lr', 'LGPLLR', 'exact'],
    ['c-uda', 'C-UDA-1.0', 'exact'],
    ['openrail++', 'LicenseRef-OpenRAIL-PlusPlus-M', 'exact'],
    ['llama3.1', 'LicenseRef-Llama-3.1', 'exact'],
    ['gemma', 'LicenseRef-Gemma', 'exact'],
  ];
  for (const [id, expression, confidence] of EXPECTED) {
    it(`when the card says "${id}", then the expression is ${expression} (${confidence})`, () => {
      expectLicense(hf(id), expression, confidence);
    });
  }

  it('when the license is "other" and license_name is llama3, then it is LicenseRef-Llama-3 read from license_name', () => {
    const license = normalizeHuggingFaceLicense({ license: 'other', license_name: 'llama3', license_link: 'LICENSE' });

    expect(license).to.include({ expression: 'LicenseRef-Llama-3', source: 'huggingface:license_name', confidence: 'exact' });
  });

  it('when the license is "other" with only a link to a Llama 3.1 license, then the link is recognised with low confidence', () => {
    const license = normalizeHuggingFaceLicense({ license: 'other', license_link: 'https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/LICENSE' });

    expect(license).to.include({ expression: 'LicenseRef-Llama-3.1', source: 'huggingface:license_link', confidence: 'inferred' });
  });

  it('when the license is "other" with a link to a Creative Commons deed, then the link names the license', () => {
    const license = normalizeHuggingFaceLicense({ license: 'other', license_link: 'https://creativecommons.org/licenses/by-nc-sa/4.0/' });

    expect(license.expression).to.equal('CC-BY-NC-SA-4.0');
  });

  it('when the license is "other" with an unknown name, then it is unknown and the note quotes the name and the link', () => {
    const license = normalizeHuggingFaceLicense({ license: 'other', license_name: 'tongyi-qianwen', license_link: 'https://huggingface.co/Qwen/Qwen-7B/blob/main/LICENSE' });

    expect(license.confidence).to.equal('unknown');
    expect(license.note).to.include('tongyi-qianwen').and.include('Qwen-7B');
  });

  it('when only license:* tags are present, then the tags are read', () => {
    const license = normalizeHuggingFaceLicense({ tags: ['transformers', 'gemma3', 'license:gemma', 'region:us'] });

    expect(license).to.include({ expression: 'LicenseRef-Gemma', source: 'huggingface:tags' });
  });

  it('when the card license and the tags disagree, then the card wins', () => {
    expect(normalizeHuggingFaceLicense({ license: 'mit', tags: ['license:apache-2.0'] }).expression).to.equal('MIT');
  });

  it('when the card lists several licenses, then all of them apply (AND) and the note says so', () => {
    const license = normalizeHuggingFaceLicense({ license: ['apache-2.0', 'cc-by-nc-4.0'] });

    expect(license.expression).to.equal('Apache-2.0 AND CC-BY-NC-4.0');
    expect(license.note).to.include('read as AND');
  });

  it('when one of several listed licenses is unknown, then the whole license is unknown', () => {
    expect(normalizeHuggingFaceLicense({ license: ['mit', 'other'] }).confidence).to.equal('unknown');
  });

  it('when the model declares nothing, then the license is unknown', () => {
    expectLicense(normalizeHuggingFaceLicense({ license: null, tags: ['transformers'] }), undefined, 'unknown');
  });

  it('when the real reference models are read, then each license is what its card declares', () => {
    const models = JSON.parse(readFileSync(HF_MODELS_PATH, 'utf8')) as Record<string, { license?: string | null; tags?: string[] }>;
    const found = Object.fromEntries(Object.entries(models).map(([id, model]) => [id, normalizeHuggingFaceLicense(model).expression ?? null]));

    expect(found).to.include({
      'google/gemma-3-270m': 'LicenseRef-Gemma',
      'google/gemma-2-2b': 'LicenseRef-Gemma',
      'openai/whisper-tiny': 'Apache-2.0',
      'roberta-base': 'MIT',
      'parvk11/audience_classifier_model': null,
    });
  });
});

describe('normalizeGitHubLicense', () => {
  it('when the real reference repositories are read, then their spdx ids are kept and a missing license is unknown', () => {
    const repos = JSON.parse(readFileSync(GITHUB_REPOS_PATH, 'utf8')) as Record<string, { license_spdx?: string | null }>;
    const found = Object.fromEntries(Object.entries(repos).map(([id, repo]) => [id, normalizeGitHubLicense(repo.license_spdx === null || repo.license_spdx === undefined ? null : { spdx_id: repo.license_spdx }).expression ?? null]));

    expect(found).to.deep.equal({
      'google-research/big_vision': 'Apache-2.0',
      'openai/whisper': 'MIT',
      'google-deepmind/bbeh': 'Apache-2.0',
      'google-research/bert': 'Apache-2.0',
      'kabirraymalik/gello-bimanual-ur3': null,
    });
  });

  it('when GitHub reports the deprecated GPL-3.0, then it is read as GPL-3.0-only and the note says why', () => {
    const license = normalizeGitHubLicense({ spdx_id: 'GPL-3.0', key: 'gpl-3.0', name: 'GNU General Public License v3.0' });

    expectLicense(license, 'GPL-3.0-only', 'corrected');
    expect(license.note).to.include('as SPDX defines it');
  });

  it('when GitHub says NOASSERTION with key "other", then the license is unknown', () => {
    const license = normalizeGitHubLicense({ spdx_id: 'NOASSERTION', key: 'other', name: 'Other' });

    expect(license).to.include({ confidence: 'unknown', source: 'github' });
    expect(license.note).to.include('NOASSERTION');
  });

  for (const value of [null, undefined]) {
    it(`when the license object is ${String(value)}, then the license is unknown`, () => {
      expect(normalizeGitHubLicense(value).note).to.include('no license file');
    });
  }

  it('when spdx_id is null but the key is known, then the key is read', () => {
    expect(normalizeGitHubLicense({ spdx_id: null, key: 'mit' })).to.include({ expression: 'MIT', source: 'github:key' });
  });

  it('when only the name is given, then the long name is read', () => {
    expect(normalizeGitHubLicense({ name: 'GNU General Public License v2.0' })).to.include({ expression: 'GPL-2.0-only', source: 'github:name' });
  });
});

describe('normalizeLicense', () => {
  const CASES: Array<[string, string | undefined, Confidence, string?]> = [
    ['Apache 2', 'Apache-2.0', 'corrected', 'read the name'],
    ['GPLv3+', 'GPL-3.0-or-later', 'corrected', 'spdx-correct read'],
    ['GPLv3', 'GPL-3.0-only', 'corrected', 'does not say "or later"'],
    // spdx-correct alone reads these as GPL-3.0-or-later, UPL-1.0, MPL-2.0 and CAL-1.0.
    ['gpl v2', 'GPL-2.0-only', 'corrected'],
    ['EUPL', undefined, 'unknown'],
    ['apple-sample-code-license', undefined, 'unknown'],
    ['Microsoft Reciprocal License', 'MS-RL', 'corrected'],
    ['BSD 3-Clause "New" or "Revised" License', 'BSD-3-Clause', 'corrected'],
    ['mit or apache-2.0', 'MIT OR Apache-2.0', 'exact'],
    ['(MIT OR Apache-2.0) AND LicenseRef-OpenRAIL-M', '(MIT OR Apache-2.0) AND LicenseRef-OpenRAIL-M', 'exact'],
    ['GPL-2.0+', 'GPL-2.0-or-later', 'corrected'],
    ['GPL-2.0-with-classpath-exception', 'GPL-2.0-only WITH Classpath-exception-2.0', 'corrected'],
    ['gpl-2.0-only with classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0', 'exact'],
    ['llama 2 community license', 'LicenseRef-Llama-2', 'inferred'],
    ['MIT OR', undefined, 'unknown', 'not a well-formed SPDX expression'],
    ['MIT WITH Foo-exception', undefined, 'unknown', 'not a well-formed SPDX expression'],
    ['MIT AND cc', undefined, 'unknown', 'Creative Commons family'],
    ['', undefined, 'unknown', 'empty'],
    ['   ', undefined, 'unknown', 'empty'],
    ['not a license at all', undefined, 'unknown', 'not a license we recognise'],
  ];
  for (const [input, expression, confidence, note] of CASES) {
    it(`when the text is ${JSON.stringify(input)}, then the expression is ${String(expression)} (${confidence})`, () => {
      const license = normalizeLicense(input);

      expectLicense(license, expression, confidence);
      if (note !== undefined) expect(license.note).to.include(note);
    });
  }

  it('when the text is very long, then it is refused without parsing and the input is shortened', () => {
    const license = normalizeLicense(`MIT ${'OR MIT '.repeat(20_000)}`);

    expect(license.confidence).to.equal('unknown');
    expect(license.note).to.include('too long');
    expect(license.input?.length).to.be.at.most(81);
  });

  it('when the text is normalised, then the source is recorded as given', () => {
    expect(normalizeLicense('MIT', 'upload:card').source).to.equal('upload:card');
  });
});
