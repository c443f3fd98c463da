import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { generatedBlock } from '../licensing/license-doc-tables';
import { calibrate, calibrationTable } from './calibration-table';

const DOC = resolve(__dirname, '../../../../docs/metrics.md');

/**
 * The verdicts of the bar on every reference model, pinned: a change to a metric, a weight or the
 * threshold that flips one of them must be a decision, made here and in docs/metrics.md, not a
 * side effect. Empty list: meets the bar; otherwise the metrics below it.
 */
const VERDICTS: Readonly<Record<string, readonly string[]>> = {
  'openai/whisper-tiny': [],
  'google-bert/bert-base-uncased': [],
  'bert-base-uncased': [],
  'google-bert/bert-base-cased': [],
  'distilbert/distilbert-base-uncased': [],
  'distilbert-base-uncased': [],
  'distilbert-base-uncased-distilled-squad': [],
  'roberta-base': [],
  'FacebookAI/roberta-base': [],
  'albert-base-v2': [],
  'google/flan-t5-small': [],
  't5-small': [],
  gpt2: [],
  'google/gemma-2-2b': [],
  // A template card without a license: nothing about it can be trusted.
  'parvk11/audience_classifier_model': ['net_score', 'ramp_up_time', 'performance_claims', 'license', 'dataset_and_code_score', 'reproducibility'],
  // The snapshot's card is a gate page with a citation: no runnable example, training data only in prose.
  'google/gemma-3-270m': ['net_score', 'dataset_and_code_score', 'reproducibility'],
  // Cards that state no measured result.
  'facebook/bart-base': ['performance_claims'],
  'facebook/bart-large': ['performance_claims'],
  'xlnet-base-cased': ['performance_claims'],
  'microsoft/DialoGPT-small': [],
};

describe('calibration of the bar on the reference models', () => {
  const calibrated = calibrate();

  it('when every reference model is rated and judged, then each verdict is the pinned one', () => {
    const actual = Object.fromEntries(calibrated.map(({ repo, decision }) => [repo, decision.failing.map((failure) => failure.metric)]));

    expect(actual).to.deep.equal(VERDICTS);
  });

  it('when a metric has no evidence in the snapshot, then it is named as not judged rather than failed', () => {
    const bert = calibrated.find((item) => item.repo === 'google-bert/bert-base-uncased');

    expect(bert?.decision.unavailable.map((item) => item.metric)).to.deep.equal(['dataset_quality', 'reviewedness']);
    expect(bert?.rating.reviewedness).to.equal(-1);
  });

  it('when the calibration table is read from docs/metrics.md, then it is exactly the table the rating code renders', () => {
    const expected = calibrationTable();

    expect(generatedBlock(readFileSync(DOC, 'utf8'), 'calibration'), `paste between <!-- generated:calibration --> markers:\n${expected.join('\n')}\n`).to.deep.equal(expected);
  });
});
