import { expect } from 'chai';
import { isLocalDirectoryName } from '../../../../src/domain/lineage/repo-names';
import { normalizeRepoName } from '../../../../src/domain/lineage';

describe('repository names in detail', () => {
  describe('isLocalDirectoryName', () => {
    it('takes a training output directory in any case for a local path', () => {
      expect(isLocalDirectoryName('outputs/run-1')).to.equal(true);
      expect(isLocalDirectoryName('Checkpoints/run-1')).to.equal(true);
    });

    it('takes a checkpoint-N directory for a local path, whatever the number of digits', () => {
      expect(isLocalDirectoryName('acme/checkpoint-5')).to.equal(true);
      expect(isLocalDirectoryName('acme/checkpoint-1500')).to.equal(true);
    });

    it('does not take a repository whose name only contains the checkpoint pattern for a local path', () => {
      for (const name of ['acme/bert', 'acme/my-checkpoint-5', 'acme/checkpoint-5-final', 'acme/checkpoint-best']) {
        expect(isLocalDirectoryName(name), name).to.equal(false);
      }
    });
  });

  describe('normalizeRepoName', () => {
    it('trims spaces and trailing slashes', () => {
      expect(normalizeRepoName('  acme/bert  ', 'model')).to.equal('acme/bert');
      expect(normalizeRepoName('acme/bert//', 'model')).to.equal('acme/bert');
    });

    it('reads a Hub address of up to 300 characters and refuses a longer one', () => {
      const address = (length: number) => `https://huggingface.co/acme/bert/blob/main/${'x'.repeat(length - 'https://huggingface.co/acme/bert/blob/main/'.length)}`;

      expect(normalizeRepoName(address(300), 'model')).to.equal('acme/bert');
      expect(normalizeRepoName(address(301), 'model')).to.equal(undefined);
    });

    it('refuses a Space, which is neither a model nor a dataset', () => {
      expect(normalizeRepoName('https://huggingface.co/spaces/acme/demo', 'model')).to.equal(undefined);
      expect(normalizeRepoName('https://huggingface.co/spaces/acme/demo', 'dataset')).to.equal(undefined);
    });

    it('reads a GitHub address only as code, keeping the owner and name and removing only a final .git', () => {
      expect(normalizeRepoName('https://github.com/acme/train', 'model')).to.equal(undefined);
      expect(normalizeRepoName('https://github.com/acme/train/tree/main/src', 'code')).to.equal('acme/train');
      expect(normalizeRepoName('https://github.com/acme/acme.github.io', 'code')).to.equal('acme/acme.github.io');
    });
  });
});
