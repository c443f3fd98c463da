import { expect } from 'chai';
import { sizeScore, SIZE_BUDGETS } from '../../../../src/domain/rating';
import { weightFormats } from '../../../../src/domain/rating/size-score.metric';
import { anEvidence, SEVENTY_B_SHARDS } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('size_score', () => {
  it('when a repository carries the same weights in seven formats, then the smallest complete copy is the size', () => {
    const result = sizeScore(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result.inputs['weightBytes']).to.equal(438_064_459);
    expect(result.value.raspberry_pi).to.be.closeTo((2e9 - 438_064_459) / 1.8e9, 1e-9);
    expect(result.value).to.include({ jetson_nano: 1, desktop_pc: 1, aws_server: 1 });
  });

  it('when a 70B-parameter model is sharded over 141 GB, then only the cloud server can hold it', () => {
    const result = sizeScore(anEvidence({ files: [...SEVENTY_B_SHARDS, { path: 'model.safetensors.index.json', size: 120_000 }] }));

    expect(result.value).to.include({ raspberry_pi: 0, jetson_nano: 0, desktop_pc: 0 });
    expect(result.value.aws_server).to.be.closeTo((400e9 - 141_000_120_000) / 360e9, 1e-9);
  });

  it('when a size sits exactly on a budget edge, then comfortable scores 1 and impossible scores 0', () => {
    const { comfortable, impossible } = SIZE_BUDGETS.jetson_nano;

    expect(sizeScore(anEvidence({ files: [{ path: 'model.safetensors', size: comfortable }] })).value.jetson_nano).to.equal(1);
    expect(sizeScore(anEvidence({ files: [{ path: 'model.safetensors', size: impossible }] })).value.jetson_nano).to.equal(0);
  });

  it('when there are no weight files, then every device scores 0 and the explanation says there is nothing to deploy', () => {
    const result = sizeScore(anEvidence({ files: [{ path: 'README.md', size: 100 }] }));

    expect(result.value).to.deep.equal({ raspberry_pi: 0, jetson_nano: 0, desktop_pc: 0, aws_server: 0 });
    expect(result.explanation).to.deep.equal(['no weight files found: there is nothing to deploy']);
  });

  it('when fp16 variants and trainer state sit beside the weights, then each variant is its own copy and trainer state is ignored', () => {
    const formats = weightFormats([
      { path: 'unet/diffusion_pytorch_model.safetensors', size: 3_400 },
      { path: 'unet/diffusion_pytorch_model.fp16.safetensors', size: 1_700 },
      { path: 'vae/diffusion_pytorch_model.safetensors', size: 300 },
      { path: 'optimizer.pt', size: 9_999 },
      { path: 'model-q4_k_m.gguf', size: 400 },
      { path: 'model-q8_0.gguf', size: 800 },
    ]);

    expect(formats).to.deep.equal([
      { format: 'safetensors', bytes: 3_700, files: 2 },
      { format: 'safetensors:fp16', bytes: 1_700, files: 1 },
      { format: 'gguf:model-q8_0', bytes: 800, files: 1 },
      { format: 'gguf:model-q4_k_m', bytes: 400, files: 1 },
    ]);
  });
});
