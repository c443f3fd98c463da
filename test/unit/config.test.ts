import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig: TMR_PUBLIC_URL', () => {
  it('when it is absent, then links fall back to the listening address (no public URL is configured)', () => {
    expect(loadConfig({})).not.to.have.property('publicUrl');
  });

  it('when it is an http(s) URL, then it is kept with its path prefix and without a trailing slash', () => {
    expect(loadConfig({ TMR_PUBLIC_URL: 'https://registry.example.com/' }).publicUrl).to.equal('https://registry.example.com');
    expect(loadConfig({ TMR_PUBLIC_URL: 'http://10.0.0.5:8080/tmr/' }).publicUrl).to.equal('http://10.0.0.5:8080/tmr');
  });

  for (const bad of ['registry.example.com', 'ftp://registry.example.com', 'https://user:pw@registry.example.com', 'https://registry.example.com/?x=1', 'https://registry.example.com/#top']) {
    it(`when it is "${bad}", then start-up fails naming the variable`, () => {
      expect(() => loadConfig({ TMR_PUBLIC_URL: bad })).to.throw(ConfigError, /TMR_PUBLIC_URL/);
    });
  }
});
