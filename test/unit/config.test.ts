import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config';

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
