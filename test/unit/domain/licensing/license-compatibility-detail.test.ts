import { expect } from 'chai';
import {
  checkLicenseCompatibility,
  normalizeGitHubLicense,
  normalizeHuggingFaceLicense,
  type GitHubLicenseFields,
  type HuggingFaceLicenseFields,
  type LicenseUse,
} from '../../../../src/domain/licensing';

// The table in license-compatibility.test.ts checks each verdict by one key reason. These check the whole
// answer for a few pairs: every obligation a user is told, no more, and the order of the explanation.
const check = (model: HuggingFaceLicenseFields, code: GitHubLicenseFields | null, use?: Partial<Omit<LicenseUse, 'purpose'>>) =>
  checkLicenseCompatibility(normalizeHuggingFaceLicense(model), normalizeGitHubLicense(code), use);
const PRIVATE = { distribute: false };
const RESEARCH = { commercial: false };

const APACHE_NOTICE = 'Apache-2.0: keep the NOTICE file and mark significant changes in modified files (Apache-2.0 §4)';
const APACHE_RATIONALE = 'model license Apache-2.0 (permissive): permissive with an express patent license; its patent-termination and indemnity terms are further restrictions under GPL-2.0, so it joins GPL-3.0 works only';
const MIT_CODE_RATIONALE = 'code license MIT (permissive): any use, sublicensing included, if the copyright and permission notice are kept';

describe('checkLicenseCompatibility: the whole answer', () => {
  it('when permissive licenses are distributed, then each asks for its notices; kept private, only the NOTICE rule of Apache-2.0 remains', () => {
    const distributed = check({ license: 'apache-2.0' }, { spdx_id: 'MIT' });
    const kept = check({ license: 'apache-2.0' }, { spdx_id: 'MIT' }, PRIVATE);

    expect(distributed.reasons).to.deep.equal([
      'compatible: model Apache-2.0 with code MIT, for fine-tuning and inference, commercial use, result distributed',
      APACHE_RATIONALE,
      MIT_CODE_RATIONALE,
    ]);
    expect(distributed.obligations).to.deep.equal([
      APACHE_NOTICE,
      "Apache-2.0: keep the model's license text and attribution notices with the fine-tuned model",
      "MIT: keep the code's license and notices in the copies you distribute",
    ]);
    expect(distributed.model).to.deep.equal({ expression: 'Apache-2.0', chosen: 'Apache-2.0', source: 'huggingface:license', confidence: 'exact' });
    expect(distributed.code).to.deep.equal({ expression: 'MIT', chosen: 'MIT', source: 'github:spdx_id', confidence: 'exact' });
    expect(kept.reasons[0]).to.equal('compatible: model Apache-2.0 with code MIT, for fine-tuning and inference, commercial use, result kept private');
    expect(kept.obligations).to.deep.equal([APACHE_NOTICE]);
    expect(kept.reasons.slice(1)).to.deep.equal([APACHE_RATIONALE, MIT_CODE_RATIONALE]);
  });

  it('when a linking exception is attached to a license without copyleft, then it changes nothing the user owes', () => {
    const result = check({ license: 'MIT WITH Classpath-exception-2.0' }, { spdx_id: 'MIT' });

    expect(result.compatible).to.equal(true);
    expect(result.obligations).to.deep.equal([
      "MIT: keep the model's license text and attribution notices with the fine-tuned model",
      "MIT: keep the code's license and notices in the copies you distribute",
    ]);
  });

  it('when the model license is an AND, then the headline names every part joined by AND', () => {
    const result = check({ license: 'Apache-2.0 AND LicenseRef-OpenRAIL-M' }, { spdx_id: 'MIT' });

    expect(result.reasons[0]).to.equal('compatible: model Apache-2.0 AND LicenseRef-OpenRAIL-M with code MIT, for fine-tuning and inference, commercial use, result distributed');
  });

  it('when file- and library-level copyleft are distributed, then the changed files stay under their licenses; kept private, nothing is owed', () => {
    const distributed = check({ license: 'mpl-2.0' }, { spdx_id: 'LGPL-3.0' });
    const kept = check({ license: 'mpl-2.0' }, { spdx_id: 'LGPL-3.0' }, PRIVATE);

    expect(distributed.obligations).to.deep.equal([
      "MPL-2.0: keep the model's license text and attribution notices with the fine-tuned model",
      'MPL-2.0: distribute the changed model files (the fine-tuned weights) under MPL-2.0',
      "LGPL-3.0-only: distribute the code's files, with your changes, under LGPL-3.0-only",
      "LGPL-3.0-only: keep the code's license and notices in the copies you distribute",
    ]);
    expect(distributed.reasons[1]).to.equal('code license read from github:spdx_id with confidence "corrected": deprecated SPDX id LGPL-3.0 read as LGPL-3.0-only, as SPDX defines it');
    expect(kept.obligations).to.deep.equal([]);
  });

  it('when the code is under the AGPL, then serving it, distributing it and its notices are owed, and the copyleft stays on the code', () => {
    const result = check({ license: 'mit' }, { spdx_id: 'AGPL-3.0' });

    expect(result.compatible).to.equal(true);
    expect(result.obligations).to.deep.equal([
      "MIT: keep the model's license text and attribution notices with the fine-tuned model",
      'AGPL-3.0-only: if you change the code and serve inference with it over a network, offer its users the source of your version',
      'AGPL-3.0-only: distribute the code, and programs built from it, under AGPL-3.0-only with source',
      "AGPL-3.0-only: keep the code's license and notices in the copies you distribute",
    ]);
    expect(result.reasons.at(-1)).to.equal('the copyleft of AGPL-3.0-only stays on the code: the fine-tuned weights are output of running it, not a work based on it');
  });

  it('when the code is non-commercial, no-derivatives or use-restricted, then the use that fits says exactly what the code asks', () => {
    expect(check({ license: 'mit' }, { spdx_id: 'CC-BY-NC-4.0' }, RESEARCH).obligations).to.deep.equal([
      "MIT: keep the model's license text and attribution notices with the fine-tuned model",
      'CC-BY-NC-4.0: use the code for non-commercial purposes only',
      "CC-BY-NC-4.0: keep the code's license and notices in the copies you distribute",
    ]);
    expect(check({ license: 'mit' }, { spdx_id: 'CC-BY-ND-4.0' }, PRIVATE).obligations).to.deep.equal([
      'CC-BY-ND-4.0: run the code as published; do not distribute modified copies',
    ]);
    expect(check({ license: 'mit' }, { name: 'OpenRAIL-M' }).obligations).to.deep.equal([
      "MIT: keep the model's license text and attribution notices with the fine-tuned model",
      "LicenseRef-OpenRAIL-M: the code's use restrictions apply to fine-tuning and inference",
      'LicenseRef-OpenRAIL-M: include the use restrictions of the license as an enforceable provision in the terms of every copy and derivative, and give recipients a copy of the license',
      "LicenseRef-OpenRAIL-M: keep the code's license and notices in the copies you distribute",
    ]);
  });

  it('when a GPL model carries a linking exception, then it is judged as library copyleft: only its own changed files are owed under the GPL', () => {
    const result = check({ license: 'GPL-2.0-only WITH Classpath-exception-2.0' }, { spdx_id: 'Apache-2.0' });

    expect(result.compatible).to.equal(true);
    expect(result.obligations).to.deep.equal([
      "GPL-2.0-only: keep the model's license text and attribution notices with the fine-tuned model",
      'GPL-2.0-only: distribute the changed model files (the fine-tuned weights) under GPL-2.0-only',
      APACHE_NOTICE,
      "Apache-2.0: keep the code's license and notices in the copies you distribute",
    ]);
    expect(result.reasons[2]).to.equal('model exception Classpath-exception-2.0 relaxes GPL-2.0-only: independent modules linked with the library may be under any terms');
  });

  it('when the model declares no license, then only the headline and why, and the model side has no expression', () => {
    const result = check({}, { spdx_id: 'MIT' });

    expect(result.compatible).to.equal(false);
    expect(result.reasons).to.deep.equal([
      'not compatible: a license that cannot be determined is never compatible by default',
      'model license cannot be determined: the model declares no license (no license field, no license tag)',
    ]);
    expect(result.obligations).to.deep.equal([]);
    expect(result.model).to.deep.equal({ source: 'huggingface', confidence: 'unknown' });
    expect(result.code).to.deep.equal({ expression: 'MIT', source: 'github:spdx_id', confidence: 'exact' });
  });

  it('when a license is not exact, then the explanation says where it was read and how it was corrected, after the blocking reasons', () => {
    const corrected = check({ license: 'Apache 2' }, { spdx_id: 'MIT' });
    const blocked = check({ license: 'gpl-3.0' }, { spdx_id: 'GPL-2.0' });

    expect(corrected.reasons[1]).to.equal('model license read from huggingface:license with confidence "corrected": read the name "Apache 2" as Apache-2.0');
    expect(blocked.compatible).to.equal(false);
    expect(blocked.reasons.slice(0, 4)).to.deep.equal([
      'not compatible: model GPL-3.0-only with code GPL-2.0-only, for fine-tuning and inference, commercial use, result distributed',
      'the distributed result must be licensed under GPL-3.0-only, and GPL-2.0-only cannot be: GPL-2.0-only carries its own terms, which GPL-3.0-only cannot absorb',
      'model license read from huggingface:license with confidence "corrected": deprecated SPDX id GPL-3.0 read as GPL-3.0-only, as SPDX defines it',
      'code license read from github:spdx_id with confidence "corrected": deprecated SPDX id GPL-2.0 read as GPL-2.0-only, as SPDX defines it',
    ]);
  });

  it('when an OR offers branches that are all compatible, then the one with fewer obligations is chosen, and of equals the first', () => {
    const fewer = check({ license: 'Apache-2.0 OR MIT' }, { spdx_id: 'MIT' });
    const equal = check({ license: 'MIT OR ISC' }, { spdx_id: 'MIT' });

    expect(fewer.model.chosen).to.equal('MIT');
    expect(fewer.reasons[1]).to.equal('model license Apache-2.0 OR MIT offers a choice (OR); the most favourable branch is used: MIT');
    expect(equal.model.chosen).to.equal('MIT');
  });
});
