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

describe('loadConfig: registration gate and Kaggle', () => {
  const base = { TMR_STORAGE: 'memory' };

  it('when nothing is set, then registration flags, Kaggle is the public API and no credentials are configured', () => {
    const config = loadConfig(base);
    expect(config.registrationGate).to.equal('flag');
    expect(config.kaggleApiUrl).to.equal('https://www.kaggle.com/api/v1');
    expect(config.kaggle).to.equal(undefined);
  });

  it('when the gate is enforced and both Kaggle settings are given, then both are read', () => {
    const config = loadConfig({ ...base, TMR_REGISTRATION_GATE: 'enforce', KAGGLE_USERNAME: 'someone', KAGGLE_KEY: 'k3y', KAGGLE_API_URL: 'http://127.0.0.1:9/kaggle/api/v1/' });
    expect(config.registrationGate).to.equal('enforce');
    expect(config.kaggle).to.deep.equal({ username: 'someone', key: 'k3y' });
    expect(config.kaggleApiUrl).to.equal('http://127.0.0.1:9/kaggle/api/v1');
  });

  it('when the gate is misspelt or only one Kaggle setting is given, then start-up fails naming each problem', () => {
    expect(() => loadConfig({ ...base, TMR_REGISTRATION_GATE: 'strict', KAGGLE_USERNAME: 'someone' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('TMR_REGISTRATION_GATE must be one of flag, enforce')
      .and.contains('KAGGLE_USERNAME and KAGGLE_KEY must be set together');
  });
});

describe('loadConfig: sweeping unused content', () => {
  it('when nothing is set, then content unused for an hour is swept hourly', () => {
    const config = loadConfig({});
    expect([config.sweepGraceMs, config.sweepIntervalMs]).to.deep.equal([3_600_000, 3_600_000]);
  });

  it('when the interval is 0 and the grace 0, then both are kept (no sweeps here; no grace where one runs)', () => {
    const config = loadConfig({ TMR_SWEEP_GRACE_MS: '0', TMR_SWEEP_INTERVAL_MS: '0' });
    expect([config.sweepGraceMs, config.sweepIntervalMs]).to.deep.equal([0, 0]);
  });

  it('when the grace is negative or the interval not a number, then start-up fails naming both', () => {
    expect(() => loadConfig({ TMR_SWEEP_GRACE_MS: '-1', TMR_SWEEP_INTERVAL_MS: 'hourly' })).to.throw(/TMR_SWEEP_GRACE_MS[\s\S]*TMR_SWEEP_INTERVAL_MS/);
  });
});
