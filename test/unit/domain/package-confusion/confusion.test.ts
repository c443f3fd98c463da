import { expect } from 'chai';
import { assessConfusion, downloadBurst, findConfusion, nameResemblance, skeleton, type ConfusionSubject } from '../../../../src/domain/package-confusion';

const NOW = new Date('2026-11-30T12:00:00Z');
let next = 0;
function subject(name: string, overrides: Partial<ConfusionSubject> = {}): ConfusionSubject {
  next += 1;
  return {
    id: `id-${String(next).padStart(4, '0')}`,
    name,
    type: 'model',
    createdAt: '2026-01-01T00:00:00Z',
    downloads: [],
    hasConfig: true,
    weightsBytes: 1000,
    ...overrides,
  };
}
const downloads = (count: number, users: readonly string[], start = '2026-11-29T10:00:00Z', stepMs = 60_000) =>
  Array.from({ length: count }, (_, index) => ({ user: users[index % users.length] ?? 'u', date: new Date(Date.parse(start) + index * stepMs).toISOString() }));

const ORIGINALS = ['bert-base-uncased', 'whisper-tiny', 'distilbert-base-uncased-finetuned-sst-2-english', 'audience_classifier_model', 'google-bert/bert-base-cased'];
const LOOK_ALIKES: [string, string, string][] = [
  ['bert-base-uncassed', 'bert-base-uncased', 'doubled'],
  ['bret-base-uncased', 'bert-base-uncased', 'swap'],
  ['bert-base-uncased', 'bert_base-uncased', 'separators'],
  ['bert_base_uncased', 'bert-base-uncased', 'separators'],
  ['bert-base-uncaseb', 'bert-base-uncased', 'changed'],
  ['bert-base-uncase', 'bert-base-uncased', 'dropped'],
  ['whіsper-tiny', 'whisper-tiny', 'look-alike Unicode'],
  ['whisреr-tiny', 'whisper-tiny', 'look-alike Unicode'],
  ['Whisper-Tiny', 'whisper-tiny', 'letter case'],
  ['vvhisper-tiny', 'whisper-tiny', 'reads as'],
  ['distiIbert-base-uncased-finetuned-sst-2-english', 'distilbert-base-uncased-finetuned-sst-2-english', 'reads as'],
  ['audience-classifier.model', 'audience_classifier_model', 'separators'],
];
const UNRELATED = ['resnet-50', 'bert-large-cased', 'bert-base-multilingual-cased', 'whisper-large-v3', 'gpt2', 'my-cool-model', 'llama-2-7b', 'llama-2-13b', 'model-v1', 'model-v2', 't5-small', 'bart-base-uncased', 'mixtral-8x7b', 'mistral-8x7b', 'llava-1.5-7b', 'llama-1.5-7b'];

describe('package confusion: names', () => {
  it('when names imitate by typo, separators, case or homoglyphs, then each resembles its original and says how', () => {
    for (const [candidate, original, how] of LOOK_ALIKES) {
      const resemblance = nameResemblance(candidate, original);
      expect(resemblance, candidate).to.not.equal(undefined);
      expect(resemblance?.reason, candidate).to.contain(how);
    }
  });

  it('when names are merely related (sizes, versions, other families), then none resembles another', () => {
    const names = [...ORIGINALS, ...UNRELATED];
    for (const a of UNRELATED) {
      for (const b of names) expect(nameResemblance(a, b), `${a} vs ${b}`).to.equal(undefined);
    }
  });

  it('when Cyrillic or Greek letters stand in for Latin ones, then the skeleton is the Latin name', () => {
    expect(skeleton('bеrt-bаse')).to.equal(skeleton('bert-base'));
    expect(skeleton('ΒΕRΤ')).to.equal(skeleton('bert'));
    expect(skeleton('g00gle')).to.equal(skeleton('google'));
    expect(skeleton('llama-2-13b')).to.equal('llama213b');
  });
});

describe('package confusion: the registry report', () => {
  it('when look-alikes are registered after their originals, then each is reported against its original and no unrelated name is', () => {
    const originals = ORIGINALS.map((name) => subject(name, { createdAt: '2025-01-01T00:00:00Z', sourceDownloads: 50_000 }));
    const imitations = LOOK_ALIKES.filter(([candidate]) => !ORIGINALS.includes(candidate)).map(([candidate]) => subject(candidate, { createdAt: '2026-11-29T00:00:00Z' }));
    const unrelated = UNRELATED.map((name) => subject(name, { createdAt: '2026-11-29T00:00:00Z' }));
    const findings = findConfusion([...originals, ...imitations, ...unrelated], NOW);
    const flagged = new Map(findings.map((finding) => [finding.name, finding.resembles?.name]));
    for (const [candidate, original] of LOOK_ALIKES) {
      if (ORIGINALS.includes(candidate)) continue;
      expect(flagged.get(candidate), candidate).to.equal(original);
    }
    for (const name of [...UNRELATED, ...ORIGINALS]) expect(flagged.has(name), name).to.equal(false);
    for (const finding of findings) expect(finding.score).to.be.within(0.3, 1);
  });

  it('when an owner prefix imitates the original owner, then the copy is flagged with that reason', () => {
    const original = subject('google-bert/bert-base-cased', { repo: 'google-bert/bert-base-cased', createdAt: '2025-01-01T00:00:00Z' });
    const copy = subject('g00gle-bert/bert-base-cased');
    const report = assessConfusion(copy, [original], NOW);
    expect(report.resembles?.id).to.equal(original.id);
    expect(report.reasons.join(' ')).to.contain('imitates');
    const wellKnown = assessConfusion(subject('metta-llama/some-new-model'), [], NOW);
    expect(wellKnown.reasons.join(' ')).to.contain('"meta-llama"');
  });
});

describe('package confusion: popularity and content', () => {
  it('when most downloads come from one or two users, then it is a burst; broad use from many users over weeks is not', () => {
    expect(downloadBurst({ downloads: downloads(30, ['mallory']) })?.reason).to.contain('30 of its 30 downloads came from 1 user');
    expect(downloadBurst({ downloads: downloads(30, ['mallory', 'trudy', 'a', 'b', 'c'], '2026-11-29T10:00:00Z', 1000) })?.reason).to.contain('within one hour');
    const organic = downloads(40, Array.from({ length: 20 }, (_, i) => `user${i}`), '2026-10-01T00:00:00Z', 86_400_000 / 2);
    expect(downloadBurst({ downloads: organic })).to.equal(undefined);
    expect(downloadBurst({ downloads: downloads(5, ['mallory']) })).to.equal(undefined);
  });

  it('when a look-alike is downloaded far faster than its original, then the score rises above the name signal alone', () => {
    const original = subject('whisper-tiny', { createdAt: '2025-01-01T00:00:00Z', downloads: downloads(10, ['a', 'b', 'c', 'd']) });
    const quiet = assessConfusion(subject('whisper-tinny', { createdAt: '2026-11-29T00:00:00Z' }), [original], NOW);
    const pumped = assessConfusion(subject('whisper-tinny', { createdAt: '2026-11-29T00:00:00Z', downloads: downloads(50, ['mallory']) }), [original], NOW);
    expect(pumped.score).to.be.greaterThan(quiet.score);
    expect(pumped.reasons.join(' ')).to.contain('came from 1 user');
    expect(pumped.reasons.join(' ')).to.contain('far above');
  });

  it('when a new upload with no history takes a famous name, or its content does not fit the name, then it says so', () => {
    const famous = subject('bert-base-uncased', { createdAt: '2025-01-01T00:00:00Z', sourceDownloads: 2_000_000, weightsBytes: 440_000_000, modelType: 'bert' });
    const noConfig = assessConfusion(subject('bert-base-uncassed', { createdAt: '2026-11-30T00:00:00Z', hasConfig: false, weightsBytes: 1000 }), [famous], NOW);
    expect(noConfig.reasons.join(' ')).to.contain('no history');
    expect(noConfig.reasons.join(' ')).to.contain('no config.json');
    const wrongSize = assessConfusion(subject('bert-base-uncassed', { createdAt: '2026-11-30T00:00:00Z', weightsBytes: 1000, downloads: downloads(1, ['x']) }), [famous], NOW);
    expect(wrongSize.reasons.join(' ')).to.contain('weights are 1000 bytes');
    const otherType = assessConfusion(subject('bert-base-uncassed', { modelType: 'gpt2', weightsBytes: 440_000_000, createdAt: '2026-11-30T00:00:00Z', downloads: downloads(1, ['x']) }), [famous], NOW);
    expect(otherType.reasons.join(' ')).to.contain('model_type "gpt2"');
  });

  it('when the look-alike is the older and more popular one, then the newer original-looking name is not blamed for it', () => {
    const old = subject('whisper-tiny', { createdAt: '2025-01-01T00:00:00Z' });
    const newer = subject('whisper-tinny', { createdAt: '2026-11-29T00:00:00Z' });
    expect(assessConfusion(old, [newer], NOW).resembles).to.equal(undefined);
  });
});
