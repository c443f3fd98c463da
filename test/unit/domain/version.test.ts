import { expect } from 'chai';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { parseVersion, parseVersionRange, versionsFromTags } from '../../../src/domain/version';

function failure(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return expect.fail('expected a DomainError, but nothing was thrown');
}

const matching = (query: string, versions: readonly string[]): string[] => {
  const range = parseVersionRange(query);
  return versions.filter((version) => range.matches(version));
};

const RELEASES = ['0.0.3', '0.0.4', '0.2.2', '0.2.3', '0.2.9', '0.3.0', '1.1.9', '1.2.0', '1.2.2', '1.2.3', '1.2.9', '1.3.0', '1.9.9', '2.0.0', '2.1.0', '2.1.1', '3.0.0'];

describe('parseVersion', () => {
  it('when given 1.2.3, then it returns 1.2.3', () => {
    expect(parseVersion('1.2.3')).to.equal('1.2.3');
  });

  it('when given a Hugging Face style tag v1.2.3, then the leading v is dropped', () => {
    expect(parseVersion('v1.2.3')).to.equal('1.2.3');
  });

  it('when given surrounding whitespace, then it is trimmed', () => {
    expect(parseVersion('  v10.20.30\n')).to.equal('10.20.30');
  });

  for (const raw of ['1.2', '1.2.3.4', '', '   ', 'latest', '1 .2.3', '1.2.3 beta', 'v 1.2.3', 'vv1.2.3', '01.2.3', '1.2.3-beta.1', '1.2.3-2.1.0', '^1.2.3', 'x.y.z', '99999999999999999.0.0']) {
    it(`when given ${JSON.stringify(raw)}, then it is refused with REQUEST.INVALID naming the input`, () => {
      const error = failure(() => parseVersion(raw));

      expect(error.code).to.equal(ErrorCode.InvalidInput);
      expect(error.message).to.include(`"${raw}"`);
    });
  }
});

describe('parseVersionRange', () => {
  it('when the query is exact, then only that version matches', () => {
    expect(matching('1.2.3', RELEASES)).to.deep.equal(['1.2.3']);
  });

  it('when the exact query has a leading v, then it matches the same version', () => {
    expect(matching('v1.2.3', RELEASES)).to.deep.equal(['1.2.3']);
  });

  it('when the query is bounded, then both bounds are included', () => {
    expect(matching('1.2.3-2.1.0', RELEASES)).to.deep.equal(['1.2.3', '1.2.9', '1.3.0', '1.9.9', '2.0.0', '2.1.0']);
  });

  it('when each bound has a leading v and spaces around the dash, then the range is the same', () => {
    expect(matching(' v1.2.3 - v2.1.0 ', RELEASES)).to.deep.equal(matching('1.2.3-2.1.0', RELEASES));
  });

  it('when the bounds are equal, then only that version matches', () => {
    expect(matching('2.0.0-2.0.0', RELEASES)).to.deep.equal(['2.0.0']);
  });

  it('when the bounds are reversed, then the query is refused', () => {
    expect(failure(() => parseVersionRange('2.1.0-1.2.3')).code).to.equal(ErrorCode.InvalidInput);
  });

  it('when the query is a tilde range, then patch updates match and the next minor does not', () => {
    expect(matching('~1.2.0', RELEASES)).to.deep.equal(['1.2.0', '1.2.2', '1.2.3', '1.2.9']);
  });

  it('when the tilde range starts mid-minor, then earlier patches are excluded', () => {
    expect(matching('~v1.2.3', RELEASES)).to.deep.equal(['1.2.3', '1.2.9']);
  });

  it('when the query is a caret range on 1.x, then minor and patch updates match and 2.0.0 does not', () => {
    expect(matching('^1.2.0', RELEASES)).to.deep.equal(['1.2.0', '1.2.2', '1.2.3', '1.2.9', '1.3.0', '1.9.9']);
  });

  it('when the caret range is on 0.x, then only patch updates of that minor match', () => {
    expect(matching('^0.2.3', RELEASES)).to.deep.equal(['0.2.3', '0.2.9']);
  });

  it('when the caret range is on 0.0.x, then only that exact version matches', () => {
    expect(matching('^v0.0.3', RELEASES)).to.deep.equal(['0.0.3']);
  });

  it('when the query is parsed, then its text is the trimmed query', () => {
    expect(parseVersionRange('  ^1.2.0 ').text).to.equal('^1.2.0');
  });

  it('when a version to test is not a version, then it does not match', () => {
    expect(parseVersionRange('^1.2.0').matches('main')).to.equal(false);
  });

  const malformed = [
    '', 'latest', '*', '1.2', '1.x', '1.2.x', '>=1.2.3', '<2.0.0', '=1.2.3', '1.2.3 || 2.0.0', '1.2.3 2.0.0',
    '~1.2', '^1', '~~1.2.3', '^~1.2.3', 'v^1.2.3', '1.2.3-', '-1.2.3', '1.2.3-2.1', '1.2.3--2.1.0', '1.2.3-beta',
    '01.2.3', '~01.2.0', '01.2.3-2.0.0', '1.2.3-02.0.0', '1.2.3-99999999999999999.0.0',
  ];
  for (const raw of malformed) {
    it(`when the query is ${JSON.stringify(raw)}, then it is refused with REQUEST.INVALID`, () => {
      const error = failure(() => parseVersionRange(raw));

      expect(error.code).to.equal(ErrorCode.InvalidInput);
      expect(error.message).to.include(`"${raw}"`);
    });
  }
});

describe('versionsFromTags', () => {
  it('when tags mix versions with branches, pre-releases and padding, then only exact versions remain, trimmed, once each, highest first', () => {
    const tags = ['v1.2.3', 'main', '1.10.0', ' 2.0.0 ', '1.2.3', 'latest', '3.0.0-rc.1', 'v0.9.0', '01.2.3', 'release-4.0.0'];

    expect(versionsFromTags(tags)).to.deep.equal(['2.0.0', '1.10.0', '1.2.3', '0.9.0']);
  });

  it('when no tag names a version, then the list is empty', () => {
    expect(versionsFromTags(['main', 'latest', 'v1', '1.2'])).to.deep.equal([]);
    expect(versionsFromTags([])).to.deep.equal([]);
  });
});
