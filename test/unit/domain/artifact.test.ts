import { expect } from 'chai';
import {
  ARTIFACT_TYPES,
  MAX_NAME_LENGTH,
  assertArtifactId,
  blobsOf,
  metadataOf,
  parseArtifactName,
  parseArtifactType,
  type ArtifactPackage,
  type ArtifactRecord,
} from '../../../src/domain/artifact';
import { DomainError, ErrorCode } from '../../../src/domain/errors';

function failure(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return expect.fail('expected a DomainError, but nothing was thrown');
}

const sha = (digit: string): string => digit.repeat(64);

const record = (parts: ArtifactPackage['parts']): ArtifactRecord => ({
  id: '01JD0000000000000000000001',
  type: 'model',
  name: 'bert-base-uncased',
  source: { kind: 'url', url: 'https://huggingface.co/google-bert/bert-base-uncased' },
  package: { full: { sha256: sha('a'), size: 440_000_000, fileCount: 6 }, parts, files: [] },
  createdAt: '2025-11-27T10:00:00.000Z',
  createdBy: 'ece30861defaultadminuser',
  updatedAt: '2025-11-27T10:00:00.000Z',
  revision: 1,
});

describe('parseArtifactType', () => {
  for (const type of ARTIFACT_TYPES) {
    it(`when given "${type}", then it is accepted`, () => {
      expect(parseArtifactType(type)).to.equal(type);
    });
  }

  for (const raw of ['Model', 'models', 'datasets', '', ' model', 'weights']) {
    it(`when given ${JSON.stringify(raw)}, then it is refused with REQUEST.INVALID naming the input`, () => {
      const error = failure(() => parseArtifactType(raw));

      expect(error.code).to.equal(ErrorCode.InvalidInput);
      expect(error.message).to.include(`"${raw}"`);
    });
  }
});

describe('assertArtifactId', () => {
  for (const id of ['01JD0000000000000000000001', '3847247294', 'a', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'x'.repeat(64)]) {
    it(`when given ${JSON.stringify(id.length > 30 ? `${id.slice(0, 10)}… (${id.length})` : id)}, then it is accepted unchanged`, () => {
      expect(assertArtifactId(id)).to.equal(id);
    });
  }

  for (const id of ['', 'x'.repeat(65), '../etc/passwd', 'a b', 'a_b', 'id;drop', 'é', '01JD\n']) {
    it(`when given ${JSON.stringify(id.length > 30 ? `${id.slice(0, 10)}… (${id.length})` : id)}, then it is refused with REQUEST.INVALID`, () => {
      expect(failure(() => assertArtifactId(id)).code).to.equal(ErrorCode.InvalidInput);
    });
  }
});

describe('parseArtifactName', () => {
  it('when the name has surrounding whitespace, then it is trimmed', () => {
    expect(parseArtifactName('  bert-base-uncased \n')).to.equal('bert-base-uncased');
  });

  it('when the name has spaces and punctuation, then it is accepted', () => {
    expect(parseArtifactName('BERT base model (uncased) v2.0 [fine-tuned]')).to.equal('BERT base model (uncased) v2.0 [fine-tuned]');
  });

  it(`when the name is exactly ${MAX_NAME_LENGTH} characters, then it is accepted`, () => {
    expect(parseArtifactName('n'.repeat(MAX_NAME_LENGTH))).to.have.length(MAX_NAME_LENGTH);
  });

  it(`when the name is ${MAX_NAME_LENGTH + 1} characters, then it is refused`, () => {
    const error = failure(() => parseArtifactName('n'.repeat(MAX_NAME_LENGTH + 1)));

    expect(error.code).to.equal(ErrorCode.InvalidInput);
    expect(error.message).to.include(`${MAX_NAME_LENGTH}`);
  });

  it('when a long name is padded with spaces, then the length is judged after trimming', () => {
    expect(parseArtifactName(`  ${'n'.repeat(MAX_NAME_LENGTH)}  `)).to.have.length(MAX_NAME_LENGTH);
  });

  for (const raw of ['*', ' * ']) {
    it(`when the name is ${JSON.stringify(raw)}, then it is refused as reserved`, () => {
      const error = failure(() => parseArtifactName(raw));

      expect(error.code).to.equal(ErrorCode.InvalidInput);
      expect(error.message).to.include('reserved');
    });
  }

  it('when the name merely contains "*", then it is accepted', () => {
    expect(parseArtifactName('gpt-*-small')).to.equal('gpt-*-small');
  });

  for (const raw of ['', '   ', '\t\n']) {
    it(`when the name is ${JSON.stringify(raw)}, then it is refused as empty`, () => {
      expect(failure(() => parseArtifactName(raw)).message).to.include('empty');
    });
  }

  for (const raw of ['bert\tbase', 'bert\u0000', 'line\nbreak', 'naïve-bayes', 'модель', 'emoji🤗', 'del\u007f']) {
    it(`when the name is ${JSON.stringify(raw)}, then it is refused as not printable`, () => {
      const error = failure(() => parseArtifactName(raw));

      expect(error.code).to.equal(ErrorCode.InvalidInput);
      expect(error.message).to.include('printable');
    });
  }
});

describe('blobsOf', () => {
  it('when a record has parts, then the full package comes first and every part blob follows once', () => {
    const parts = {
      weights: { sha256: sha('b'), size: 438_000_000, fileCount: 1 },
      code: { sha256: sha('c'), size: 700_000, fileCount: 4 },
      docs: { sha256: sha('d'), size: 22_000, fileCount: 2 },
    };

    expect(blobsOf(record(parts))).to.deep.equal([sha('a'), sha('b'), sha('c'), sha('d')]);
  });

  it('when a part bundle is the whole package, then its blob is listed once', () => {
    expect(blobsOf(record({ weights: { sha256: sha('a'), size: 440_000_000, fileCount: 6 } }))).to.deep.equal([sha('a')]);
  });

  it('when two parts share a blob, then it is listed once', () => {
    const same = { sha256: sha('e'), size: 10, fileCount: 1 };

    expect(blobsOf(record({ code: same, docs: same }))).to.deep.equal([sha('a'), sha('e')]);
  });

  it('when a record has no parts, then only the full package is listed', () => {
    expect(blobsOf(record({}))).to.deep.equal([sha('a')]);
  });
});

describe('metadataOf', () => {
  it('when a record is summarised, then only name, id and type are kept', () => {
    expect(metadataOf(record({}))).to.deep.equal({ name: 'bert-base-uncased', id: '01JD0000000000000000000001', type: 'model' });
  });
});
