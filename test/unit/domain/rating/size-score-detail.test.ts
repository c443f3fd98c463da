import { expect } from 'chai';
import { sizeScore } from '../../../../src/domain/rating';
import { weightFormats } from '../../../../src/domain/rating/size-score.metric';
import { anEvidence } from './evidence-mother';

// Which copy of the weights is "the" size, and what the explanation tells a person about it.
describe('size_score: copies of the weights, word for word', () => {
  it('when several formats and precisions are present, then each is its own copy, largest first, training state left out', () => {
    const formats = weightFormats([
      { path: 'model.safetensors', size: 500_000_000 },
      { path: 'model.fp16.safetensors', size: 250_000_000 },
      { path: 'pytorch_model.bin', size: 500_000_000 },
      { path: 'tf/saved_model.pb', size: 400_000_000 },
      { path: 'Model.mlpackage/Data/weights.bin', size: 300_000_000 },
      { path: 'gguf/tiny-Q4_K_M-00001-of-00002.gguf', size: 60_000_000 },
      { path: 'gguf/tiny-Q4_K_M-00002-of-00002.gguf', size: 40_000_000 },
      { path: 'optimizer.pt', size: 900_000_000 },
    ]);

    expect(formats).to.deep.equal([
      { format: 'pytorch', bytes: 500_000_000, files: 1 },
      { format: 'safetensors', bytes: 500_000_000, files: 1 },
      { format: 'tensorflow', bytes: 400_000_000, files: 1 },
      { format: 'coreml', bytes: 300_000_000, files: 1 },
      { format: 'safetensors:fp16', bytes: 250_000_000, files: 1 },
      { format: 'gguf:tiny-q4_k_m', bytes: 100_000_000, files: 2 },
    ]);
  });

  it('when there are several copies, then the explanation names the deployable one and up to four others with their sizes', () => {
    const result = sizeScore(anEvidence({ files: [
      { path: 'model.safetensors', size: 1_000_000_000 },
      { path: 'model.fp16.safetensors', size: 500_000_000 },
      { path: 'onnx/model.onnx', size: 1_100_000_000 },
      { path: 'model.q8.gguf', size: 300_000_000 },
      { path: 'flax_model.msgpack', size: 1_200_000_000 },
      { path: 'tf_model.h5', size: 1_300_000_000 },
      { path: 'README.md', size: 5_000 },
    ] }));

    expect(result.inputs['weightBytes']).to.equal(300_000_000);
    expect(result.explanation[0]).to.equal('deployable weights: 0.3 GB (gguf:model.q8, 1 file); other copies: flax 1.2 GB, onnx 1.1 GB, safetensors 1 GB, safetensors:fp16 0.5 GB');
    expect(result.explanation[1]).to.equal('raspberry_pi: 0.944 (full up to 0.2 GB, 0 from 2 GB)');
  });

  it('when there is one copy in several files, then it says how many files and nothing about other copies', () => {
    const result = sizeScore(anEvidence({ files: [
      { path: 'model-00001-of-00002.safetensors', size: 100_000_000 },
      { path: 'model-00002-of-00002.safetensors', size: 50_000_000 },
    ] }));

    expect(result.explanation[0]).to.equal('deployable weights: 0.15 GB (safetensors, 2 files)');
  });

  it('when there are no weight files, then every device scores 0 and the explanation says there is nothing to deploy', () => {
    const result = sizeScore(anEvidence({ files: [{ path: 'README.md', size: 10 }] }));

    expect(result).to.deep.equal({
      value: { raspberry_pi: 0, jetson_nano: 0, desktop_pc: 0, aws_server: 0 },
      applicable: true,
      inputs: { weightBytes: 0, formats: [] },
      explanation: ['no weight files found: there is nothing to deploy'],
    });
  });
});
