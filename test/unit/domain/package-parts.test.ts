import { expect } from 'chai';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { PACKAGE_PARTS, classifyPackageFile, parsePackagePart, type PackagePart } from '../../../src/domain/package-parts';
import { referenceModels } from '../../support/reference-data';

/** Every distinct path in the reference file lists, with the part a person would put it in. */
const EXPECTED: Record<string, PackagePart> = {
  '384-8bits.tflite': 'weights',
  '64-fp16.tflite': 'weights',
  'coreml/fill-mask/float32_model.mlpackage/Data/com.apple.CoreML/model.mlmodel': 'weights',
  'coreml/fill-mask/float32_model.mlpackage/Data/com.apple.CoreML/weights/weight.bin': 'weights',
  'coreml_model_fp16.mlmodel': 'weights',
  'flax_model.msgpack': 'weights',
  'model-00001-of-00003.safetensors': 'weights',
  'model-00003-of-00003.safetensors': 'weights',
  'model.onnx': 'weights',
  'model.safetensors': 'weights',
  'model.safetensors.index.json': 'weights',
  'onnx/decoder_model_merged_quantized.onnx': 'weights',
  'onnx/encoder_model.onnx': 'weights',
  'pytorch_model.bin': 'weights',
  'rust_model.ot': 'weights',
  'saved_model.tar.gz': 'weights',
  'tf_model.h5': 'weights',
  'with-prefix-tf_model.h5': 'weights',
  '.gitattributes': 'code',
  'added_tokens.json': 'code',
  'config.json': 'code',
  'dict.txt': 'code',
  'generation_config.json': 'code',
  'generation_config_for_conversational.json': 'code',
  'merges.txt': 'code',
  'normalizer.json': 'code',
  'onnx/config.json': 'code',
  'onnx/merges.txt': 'code',
  'onnx/tokenizer.json': 'code',
  'onnx/vocab.json': 'code',
  'preprocessor_config.json': 'code',
  'special_tokens_map.json': 'code',
  'spiece.model': 'code',
  'tokenizer.json': 'code',
  'tokenizer.model': 'code',
  'tokenizer_config.json': 'code',
  'vocab.json': 'code',
  'vocab.txt': 'code',
  LICENSE: 'docs',
  'README.md': 'docs',
};

/** Files the reference lacks but uploaded packages carry: datasets, scripts, legal files. */
const OTHER_PACKAGES: Record<string, PackagePart> = {
  'data/train.csv': 'datasets',
  'data/README.md': 'datasets',
  'datasets/squad/validation.jsonl': 'datasets',
  'train-00000-of-00001.parquet': 'datasets',
  'images/cat.png': 'datasets',
  'samples/prompts.txt': 'datasets',
  'audio/sample1.flac': 'datasets',
  'pytorch_model.bin.index.json': 'weights',
  'checkpoints/epoch=3-step=1200.ckpt': 'weights',
  'gemma-2b-it.Q4_K_M.gguf': 'weights',
  'Model.SafeTensors': 'weights',
  'optimizer.pt': 'weights',
  'data/embeddings.bin': 'weights',
  'requirements.txt': 'code',
  'modeling_custom.py': 'code',
  'src/train.py': 'code',
  'notebooks/finetune.ipynb': 'code',
  'sentencepiece.bpe.model': 'code',
  Makefile: 'code',
  'docs/usage.md': 'docs',
  'USAGE.rst': 'docs',
  NOTICE: 'docs',
  'CITATION.cff': 'docs',
  'paper.pdf': 'docs',
};

describe('classifyPackageFile', () => {
  for (const [path, part] of Object.entries({ ...EXPECTED, ...OTHER_PACKAGES })) {
    it(`when the file is ${path}, then it belongs to ${part}`, () => {
      expect(classifyPackageFile(path)).to.equal(part);
    });
  }

  describe('on the reference Hugging Face file lists', () => {
    const models = Object.values(referenceModels());

    it('when every file of every reference model is classified, then each lands in a known part', () => {
      const files = models.flatMap((model) => model.files.map((file) => file.path));

      expect(files.length).to.be.greaterThan(100);
      for (const path of files) expect(PACKAGE_PARTS, path).to.include(classifyPackageFile(path));
    });

    it('when a reference file is one of the known kinds, then it is classified as expected', () => {
      for (const model of models) {
        for (const { path } of model.files) {
          const expected = EXPECTED[path];
          if (expected !== undefined) expect(classifyPackageFile(path), `${model.repo_id}: ${path}`).to.equal(expected);
        }
      }
    });

    it('when a reference model is classified, then it has weights, code and docs', () => {
      for (const model of models) {
        const parts = new Set(model.files.map((file) => classifyPackageFile(file.path)));
        expect([...parts], model.repo_id).to.include.members(['weights', 'code', 'docs']);
      }
    });

    it('when the weight files of a model are summed, then they hold over 90% of its bytes', () => {
      for (const model of models) {
        const total = model.files.reduce((sum, file) => sum + file.size, 0);
        const weights = model.files.filter((file) => classifyPackageFile(file.path) === 'weights').reduce((sum, file) => sum + file.size, 0);
        expect(weights / total, model.repo_id).to.be.greaterThan(0.9);
      }
    });
  });
});

describe('parsePackagePart', () => {
  for (const part of PACKAGE_PARTS) {
    it(`when given "${part}", then it is accepted`, () => {
      expect(parsePackagePart(part)).to.equal(part);
    });
  }

  for (const raw of ['Weights', 'model', 'dataset', '', 'weights ']) {
    it(`when given ${JSON.stringify(raw)}, then it is refused with REQUEST.INVALID`, () => {
      let error: unknown;
      try {
        parsePackagePart(raw);
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal(ErrorCode.InvalidInput);
    });
  }
});
