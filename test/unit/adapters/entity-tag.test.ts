import { expect } from 'chai';
import etag from 'etag';
import { weakTag } from '../../../src/adapters/http/entity-tag';

describe('weakTag', () => {
  it('when bodies of any size and script are tagged, then each tag is the one Express gives by default (the etag module, weak)', () => {
    const bodies = ['', '{}', '[{"name":"bert-base-uncased","id":"01JD0000000000000000000001","type":"model"}]', JSON.stringify({ card: 'Ünïcödé — 模型 🤗'.repeat(40) }), 'x'.repeat(70_000)];

    for (const body of bodies) {
      expect(weakTag(body), `string of ${body.length}`).to.equal(etag(body, { weak: true }));
      expect(weakTag(Buffer.from(body)), `buffer of ${body.length}`).to.equal(etag(Buffer.from(body), { weak: true }));
    }
  });

  it('when two bodies differ in one character, then their tags differ', () => {
    expect(weakTag('{"net_score":0.91}')).not.to.equal(weakTag('{"net_score":0.92}'));
  });
});
