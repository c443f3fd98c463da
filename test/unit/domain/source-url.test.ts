import { expect } from 'chai';
import type { ArtifactType } from '../../../src/domain/artifact';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { canonicalSourceUrl, nameFromSource, parseSourceUrl, sourceKeyOf, sourcePageOf, type SourceRef } from '../../../src/domain/source-url';

function refusal(url: string, type: ArtifactType): DomainError {
  try {
    parseSourceUrl(url, type);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return expect.fail(`expected ${url} to be refused as a ${type} source`);
}

describe('parseSourceUrl', () => {
  const accepted: [string, ArtifactType, SourceRef][] = [
    ['https://huggingface.co/google-bert/bert-base-uncased', 'model', { hub: 'huggingface', kind: 'model', repo: 'google-bert/bert-base-uncased' }],
    ['https://huggingface.co/google-bert/bert-base-uncased/', 'model', { hub: 'huggingface', kind: 'model', repo: 'google-bert/bert-base-uncased' }],
    ['https://huggingface.co/openai/whisper-tiny/tree/main', 'model', { hub: 'huggingface', kind: 'model', repo: 'openai/whisper-tiny', revision: 'main' }],
    ['https://huggingface.co/google/gemma-3-270m/tree/v1.0.2', 'model', { hub: 'huggingface', kind: 'model', repo: 'google/gemma-3-270m', revision: 'v1.0.2' }],
    ['https://huggingface.co/gpt2', 'model', { hub: 'huggingface', kind: 'model', repo: 'gpt2' }],
    ['https://huggingface.co/datasets/squad', 'dataset', { hub: 'huggingface', kind: 'dataset', repo: 'squad' }],
    ['https://huggingface.co/distilbert-base-uncased-distilled-squad', 'model', { hub: 'huggingface', kind: 'model', repo: 'distilbert-base-uncased-distilled-squad' }],
    ['https://huggingface.co/datasets/rajpurkar/squad', 'dataset', { hub: 'huggingface', kind: 'dataset', repo: 'rajpurkar/squad' }],
    ['https://huggingface.co/datasets/bookcorpus/bookcorpus/tree/refs-convert', 'dataset', { hub: 'huggingface', kind: 'dataset', repo: 'bookcorpus/bookcorpus', revision: 'refs-convert' }],
    ['https://github.com/google-research/bert', 'code', { hub: 'github', repo: 'google-research/bert' }],
    ['https://github.com/openai/whisper.git', 'code', { hub: 'github', repo: 'openai/whisper' }],
    ['https://github.com/huggingface/transformers/', 'code', { hub: 'github', repo: 'huggingface/transformers' }],
    ['  https://github.com/microsoft/DialoGPT  ', 'code', { hub: 'github', repo: 'microsoft/DialoGPT' }],
    ['https://HuggingFace.co/gpt2', 'model', { hub: 'huggingface', kind: 'model', repo: 'gpt2' }],
    ['https://github.com/zalandoresearch/fashion-mnist', 'dataset', { hub: 'github', repo: 'zalandoresearch/fashion-mnist' }],
    ['https://github.com/huggingface/lerobot/tree/main', 'code', { hub: 'github', repo: 'huggingface/lerobot', ref: 'main' }],
    ['https://github.com/huggingface/transformers-research-projects/tree/main/distillation', 'code', { hub: 'github', repo: 'huggingface/transformers-research-projects', ref: 'main', path: 'distillation' }],
    ['https://github.com/o/r/tree/v1.2.0/src/.github/x_y', 'code', { hub: 'github', repo: 'o/r', ref: 'v1.2.0', path: 'src/.github/x_y' }],
    ['https://www.kaggle.com/datasets/hliang001/flickr2k', 'dataset', { hub: 'kaggle', dataset: 'hliang001/flickr2k' }],
    ['https://kaggle.com/datasets/hliang001/flickr2k/', 'dataset', { hub: 'kaggle', dataset: 'hliang001/flickr2k' }],
  ];
  for (const [url, type, expected] of accepted) {
    it(`when given ${JSON.stringify(url)} as a ${type}, then it is parsed`, () => {
      expect(parseSourceUrl(url, type)).to.deep.equal(expected);
    });
  }

  const refused: [string, ArtifactType][] = [
    ['http://huggingface.co/google-bert/bert-base-uncased', 'model'],
    ['ftp://huggingface.co/google-bert/bert-base-uncased', 'model'],
    ['file:///etc/passwd', 'model'],
    ['javascript:alert(document.cookie)', 'model'],
    ['data:text/html,<script>alert(1)</script>', 'model'],
    ['huggingface.co/google-bert/bert-base-uncased', 'model'],
    ['not a url', 'model'],
    ['', 'model'],
    ['https://user@huggingface.co/x/y', 'model'],
    ['https://user:secret@huggingface.co/x/y', 'model'],
    ['https://huggingface.co@evil.com/x/y', 'model'],
    ['https://huggingface.co.evil.com/x/y', 'model'],
    ['https://evil.com/huggingface.co/x/y', 'model'],
    ['https://huggingface.co./x/y', 'model'],
    ['https://www.huggingface.co/x/y', 'model'],
    ['https://hf.co/x/y', 'model'],
    ['https://huggingface.co:8443/x/y', 'model'],
    ['https://127.0.0.1/x/y', 'model'],
    ['https://[::1]/x/y', 'model'],
    ['https://2130706433/x/y', 'model'],
    ['https://0x7f.1/x/y', 'model'],
    ['https://169.254.169.254/latest/meta-data', 'model'],
    ['https://localhost/x/y', 'model'],
    ['https://github.com/owner', 'code'],
    ['https://github.com/', 'code'],
    ['https://github.com/o/r/blob/main/README.md', 'code'],
    ['https://github.com/o/r/tree', 'code'],
    ['https://github.com/o/r.git/tree/main', 'code'],
    ['https://github.com/o/r/tree/main/a%2Fb', 'code'],
    ['https://github.com/o/r/tree/main/%2e%2e/x', 'code'],
    ['https://github.com/o/r/issues', 'code'],
    ['https://github.com/o/.git', 'code'],
    ['https://www.kaggle.com/datasets/hliang001/flickr2k', 'model'],
    ['https://www.kaggle.com/datasets/hliang001/flickr2k', 'code'],
    ['https://www.kaggle.com/datasets/hliang001', 'dataset'],
    ['https://www.kaggle.com/code/hliang001/flickr2k', 'dataset'],
    ['https://www.kaggle.com/datasets/hliang001/flickr2k/versions/3', 'dataset'],
    ['https://www.kaggle.com.evil.com/datasets/hliang001/flickr2k', 'dataset'],
    ['https://api.kaggle.com/datasets/hliang001/flickr2k', 'dataset'],
    ['https://gist.github.com/o/r', 'code'],
    ['https://github.com.evil.com/o/r', 'code'],
    ['https://github.com/google-research/bert', 'model'],
    ['https://huggingface.co/google-bert/bert-base-uncased', 'dataset'],
    ['https://huggingface.co/google-bert/bert-base-uncased', 'code'],
    ['https://huggingface.co/datasets/rajpurkar/squad', 'model'],
    ['https://huggingface.co/spaces/owner/demo', 'model'],
    ['https://huggingface.co/api/models', 'model'],
    ['https://huggingface.co/datasets/api', 'dataset'],
    ['https://huggingface.co/datasets', 'dataset'],
    ['https://huggingface.co/', 'model'],
    ['https://huggingface.co/a/b/blob/main/README.md', 'model'],
    ['https://huggingface.co/a/b/resolve/main/model.safetensors', 'model'],
    ['https://huggingface.co/a/b/c', 'model'],
    ['https://huggingface.co/a/b/tree', 'model'],
    ['https://huggingface.co/a/b/tree/main/onnx', 'model'],
    ['https://huggingface.co/a/b/tree/refs%2Fpr%2F1', 'model'],
    ['https://huggingface.co/-leading-dash/model', 'model'],
    ['https://huggingface.co/owner/na%20me', 'model'],
    ['https://huggingface.co/%2e%2e/%2e%2e/etc/passwd', 'model'],
    ['https://huggingface.co/google-bert/bert-base-uncased/%2E%2E/%2e%2E/evil/model', 'model'],
    ['https://huggingface.co/google-bert/bert-base-uncased/../../evil/model', 'model'],
    ['https://huggingface.co/google-bert/./bert-base-uncased', 'model'],
    ['https://huggingface.co/owner/%2e', 'model'],
    ['https://huggingface.co\\evil.com/model', 'model'],
    ['https://huggingface.co/owner/bert\t/../evil', 'model'],
    ['https://github.com/o/r/%2e%2e/x', 'code'],
  ];
  for (const [url, type] of refused) {
    it(`when given ${JSON.stringify(url)} as a ${type}, then it is refused with SOURCE.UNSUPPORTED`, () => {
      const error = refusal(url, type);

      expect(error.code).to.equal(ErrorCode.UnsupportedSource);
      expect(error.message).to.include(url);
    });
  }

  it('when a dataset URL is given for a model, then the message says which kind of URL is needed', () => {
    expect(refusal('https://huggingface.co/datasets/rajpurkar/squad', 'model').message).to.include('Hugging Face model URL');
  });

  it('when a GitHub URL is given for a model, then the message says GitHub registers code or datasets', () => {
    expect(refusal('https://github.com/openai/whisper', 'model').message).to.include('GitHub repositories register as code or datasets');
  });
});

describe('canonical sources', () => {
  const key = (url: string, type: ArtifactType): string => sourceKeyOf(type, parseSourceUrl(url, type));

  it('when two spellings name the same source, then they share one key', () => {
    expect(key('https://github.com/Parth1811/ptm-recommendation-with-transformers.git', 'code'))
      .to.equal(key('https://github.com/parth1811/ptm-recommendation-with-transformers/', 'code'));
    expect(key('https://huggingface.co/Google-BERT/bert-base-uncased', 'model')).to.equal(key('https://huggingface.co/google-bert/bert-base-uncased/', 'model'));
    expect(key('https://kaggle.com/datasets/hliang001/flickr2k', 'dataset')).to.equal(key('https://www.kaggle.com/datasets/HLiang001/flickr2k', 'dataset'));
  });

  it('when the revision, the directory or the type differs, then the keys differ', () => {
    const keys = [
      key('https://github.com/huggingface/lerobot', 'code'),
      key('https://github.com/huggingface/lerobot/tree/main', 'code'),
      key('https://github.com/huggingface/lerobot/tree/main/src', 'code'),
      key('https://github.com/huggingface/lerobot/tree/Main/src', 'code'),
      key('https://github.com/huggingface/lerobot', 'dataset'),
      key('https://huggingface.co/openai/whisper-tiny', 'model'),
      key('https://huggingface.co/openai/whisper-tiny/tree/v1.0.0', 'model'),
    ];
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('when a Kaggle dataset is referenced, then its page keeps the owner and slug as written', () => {
    expect(sourcePageOf(parseSourceUrl('https://kaggle.com/datasets/hliang001/flickr2k', 'dataset'))).to.equal('https://www.kaggle.com/datasets/hliang001/flickr2k');
    expect(canonicalSourceUrl(parseSourceUrl('https://github.com/o/r.git', 'dataset'))).to.equal('https://github.com/o/r');
  });
});

describe('nameFromSource', () => {
  it('when the source has an owner, then the name is the repository segment', () => {
    expect(nameFromSource(parseSourceUrl('https://huggingface.co/google-bert/bert-base-uncased/tree/main', 'model'))).to.equal('bert-base-uncased');
  });

  it('when a legacy model has no owner, then the name is the whole repository', () => {
    expect(nameFromSource(parseSourceUrl('https://huggingface.co/gpt2', 'model'))).to.equal('gpt2');
  });

  it('when the source is a dataset, then the name is the dataset segment', () => {
    expect(nameFromSource(parseSourceUrl('https://huggingface.co/datasets/rajpurkar/squad', 'dataset'))).to.equal('squad');
  });

  it('when the source is a GitHub repository with .git, then the name has no suffix', () => {
    expect(nameFromSource(parseSourceUrl('https://github.com/openai/whisper.git', 'code'))).to.equal('whisper');
  });

  it('when a GitHub URL names a ref, then the name is the repository; when it names a directory, the directory', () => {
    expect(nameFromSource(parseSourceUrl('https://github.com/huggingface/lerobot/tree/main', 'code'))).to.equal('lerobot');
    expect(nameFromSource(parseSourceUrl('https://github.com/huggingface/transformers-research-projects/tree/main/distillation', 'code'))).to.equal('distillation');
  });

  it('when the source is a Kaggle dataset, then the name is its slug', () => {
    expect(nameFromSource(parseSourceUrl('https://www.kaggle.com/datasets/hliang001/flickr2k', 'dataset'))).to.equal('flickr2k');
  });
});
