import { expect } from 'chai';
import { LICENSE_SCORE_SCALE, licenseScore, normalizeHuggingFaceLicense, type HuggingFaceLicenseFields } from '../../../../src/domain/licensing';

const INGEST_GATE = 0.5;

const TABLE: Array<{ model: HuggingFaceLicenseFields; score: number; reason: string }> = [
  { model: { license: 'mit' }, score: 1, reason: 'MIT is permissive' },
  { model: { license: 'apache-2.0' }, score: 1, reason: 'Apache-2.0 is permissive' },
  { model: { license: 'cc0-1.0' }, score: 1, reason: 'CC0-1.0 is public-domain' },
  { model: { license: 'cc-by-4.0' }, score: 1, reason: 'CC-BY-4.0 is permissive' },
  { model: { license: 'mpl-2.0' }, score: 0.8, reason: 'MPL-2.0 is weak-copyleft' },
  { model: { license: 'lgpl-3.0' }, score: 0.8, reason: 'LGPL-3.0-only is weak-copyleft' },
  { model: { license: 'gpl-3.0' }, score: 0.6, reason: 'GPL-3.0-only is strong-copyleft' },
  { model: { license: 'cc-by-sa-4.0' }, score: 0.6, reason: 'CC-BY-SA-4.0 is strong-copyleft' },
  { model: { license: 'agpl-3.0' }, score: 0.6, reason: 'AGPL-3.0-only is network-copyleft' },
  { model: { license: 'creativeml-openrail-m' }, score: 0.6, reason: 'LicenseRef-CreativeML-OpenRAIL-M is use-restricted' },
  { model: { license: 'bigscience-bloom-rail-1.0' }, score: 0.6, reason: 'use restrictions bind every derivative' },
  { model: { license: 'llama2' }, score: 0.5, reason: 'LicenseRef-Llama-2 is community' },
  { model: { license: 'other', license_name: 'llama3' }, score: 0.5, reason: 'LicenseRef-Llama-3 is community' },
  { model: { license: 'gemma' }, score: 0.5, reason: 'LicenseRef-Gemma is community' },
  { model: { license: 'cc-by-nc-4.0' }, score: 0.2, reason: 'CC-BY-NC-4.0 is non-commercial' },
  { model: { license: 'cc-by-nc-sa-4.0' }, score: 0.2, reason: 'CC-BY-NC-SA-4.0 is non-commercial' },
  { model: { license: 'deepfloyd-if-license' }, score: 0.2, reason: 'LicenseRef-DeepFloyd-IF is non-commercial' },
  { model: { license: 'cc-by-nd-4.0' }, score: 0, reason: 'CC-BY-ND-4.0 is no-derivatives' },
  { model: { license: 'cc-by-nc-nd-4.0' }, score: 0, reason: 'CC-BY-NC-ND-4.0 is no-derivatives' },
  { model: { license: 'unknown' }, score: 0, reason: 'cannot be determined' },
  { model: { license: 'other', license_name: 'qwen' }, score: 0, reason: 'cannot be determined' },
  { model: {}, score: 0, reason: 'declares no license' },
  { model: { license: 'LicenseRef-Acme-Internal' }, score: 0, reason: 'LicenseRef-Acme-Internal is unknown' },
  { model: { license: 'MIT OR CC-BY-NC-4.0' }, score: 1, reason: 'the best branch counts' },
  { model: { license: ['apache-2.0', 'cc-by-nc-4.0'] }, score: 0.2, reason: 'CC-BY-NC-4.0 is non-commercial' },
  { model: { license: 'bsd' }, score: 1, reason: 'confidence "inferred"' },
];

describe('licenseScore', () => {
  for (const row of TABLE) {
    it(`when the model declares ${JSON.stringify(row.model)}, then the score is ${row.score}: "${row.reason}"`, () => {
      const result = licenseScore(normalizeHuggingFaceLicense(row.model));

      expect(result.score).to.equal(row.score);
      expect(result.reasons.join('\n')).to.include(row.reason);
    });
  }

  it('when a hand-built license carries a malformed expression, then the score is 0 rather than an exception', () => {
    const result = licenseScore({ expression: 'MIT OR', ids: ['MIT'], source: 'caller', confidence: 'exact' });

    expect(result.score).to.equal(0);
    expect(result.reasons[0]).to.include('malformed');
  });

  it('when the scale is read, then it falls from permissive to no-derivatives and stays in [0, 1]', () => {
    const s = LICENSE_SCORE_SCALE;
    const order = [s.permissive, s['weak-copyleft'], s['strong-copyleft'], s.community, s['non-commercial'], s['no-derivatives']];

    expect(order).to.deep.equal([...order].sort((a, b) => b - a));
    expect(Object.values(s).every((value) => value >= 0 && value <= 1)).to.equal(true);
    expect(s.unknown).to.equal(0);
  });

  it('when a model license can be used commercially with obligations, then it passes the default ingest gate; otherwise it fails', () => {
    const s = LICENSE_SCORE_SCALE;

    expect([s['strong-copyleft'], s['network-copyleft'], s['use-restricted'], s.community].every((value) => value >= INGEST_GATE)).to.equal(true);
    expect([s['non-commercial'], s['no-derivatives'], s.unknown].every((value) => value < INGEST_GATE)).to.equal(true);
  });
});
