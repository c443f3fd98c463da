import { expect } from 'chai';
import { datasetQuality } from '../../../../src/domain/rating';
import type { DatasetEvidence } from '../../../../src/domain/rating';
import { aCard, anEvidence } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

const WELL_DOCUMENTED: DatasetEvidence = {
  name: 'rajpurkar/squad',
  found: true,
  downloads: 250_000,
  license: 'cc-by-sa-4.0',
  card: aCard(`${'Stanford Question Answering Dataset is a reading comprehension dataset. '.repeat(20)}`, {
    dataset_info: { splits: [{ name: 'train', num_examples: 87599 }, { name: 'validation', num_examples: 10570 }] },
  }),
};

describe('dataset_quality', () => {
  it('when a named dataset has a long card, a license, structured splits and many downloads, then it scores 1', () => {
    const result = datasetQuality(anEvidence({ datasets: [WELL_DOCUMENTED] }));

    expect(result.value).to.be.closeTo(1, 1e-9);
    expect(result.applicable).to.equal(true);
  });

  it('when one dataset is good and another does not exist on the Hub, then the average is halved', () => {
    const result = datasetQuality(anEvidence({ datasets: [WELL_DOCUMENTED, { name: 'ghost/data', found: false }] }));

    expect(result.value).to.be.closeTo(0.5, 1e-9);
    expect(result.explanation).to.include('ghost/data: named but not found on the Hub (0)');
  });

  it('when splits are only mentioned in prose, then half the split points are earned', () => {
    const dataset: DatasetEvidence = { name: 'x/y', found: true, card: aCard('The data has a train split and a test split.') };

    const result = datasetQuality(anEvidence({ datasets: [dataset] }));

    expect((result.inputs['scores'] as Record<string, number>)['x/y']).to.be.closeTo(0.3 * (10 / 150) + 0.1, 1e-9);
  });

  it('when the model names datasets that were never looked up, then the metric has no value (-1), does not apply, and says why', () => {
    const result = datasetQuality(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result).to.deep.include({ value: -1, applicable: false, unavailable: '2 datasets named (bookcorpus, wikipedia) but none was looked up' });
    expect(result.explanation[0]).to.equal('the evidence could not be collected: 2 datasets named (bookcorpus, wikipedia) but none was looked up; not scored (-1) until it is re-collected');
  });

  it('when one dataset lookup failed and another succeeded, then the average is over the one that was read and the failure is named', () => {
    const datasets = [
      { name: 'rajpurkar/squad', found: true, downloads: 250_000, license: 'cc-by-sa-4.0' },
      { name: 'allenai/c4', unavailable: 'Hugging Face failed (status 503)' },
    ];

    const result = datasetQuality(anEvidence({ datasets }));

    expect(result).to.deep.include({ value: 0.5, applicable: true });
    expect(result.explanation).to.include('not judged, the lookup failed: allenai/c4 (Hugging Face failed (status 503))');
  });

  it('when every dataset lookup failed, then the metric has no value and gives the upstream\'s reason, never 0', () => {
    const result = datasetQuality(anEvidence({ datasets: [{ name: 'rajpurkar/squad', unavailable: 'Hugging Face is rate-limiting requests' }] }));

    expect(result).to.deep.include({ value: -1, applicable: false, unavailable: '1 dataset lookup failed: rajpurkar/squad (Hugging Face is rate-limiting requests)' });
  });

  it('when the model names no dataset, then the metric does not apply', () => {
    const result = datasetQuality(evidenceFromReference(referenceModel('openai/whisper-tiny')));

    expect(result.applicable).to.equal(false);
    expect(result.explanation[0]).to.equal('the model names no dataset, so there is no dataset to judge');
  });

  it('when only some named datasets were looked up, then the others are listed as not looked up', () => {
    const result = datasetQuality(anEvidence({ datasets: [WELL_DOCUMENTED, { name: 'wikipedia' }] }));

    expect(result.inputs['notLookedUp']).to.deep.equal(['wikipedia']);
    expect(result.value).to.be.closeTo(1, 1e-9);
  });
});
