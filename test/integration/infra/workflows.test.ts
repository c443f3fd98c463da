import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { parseYamlFile } from './cloudformation-yaml';

const ROOT = resolve(__dirname, '../../..');
const WORKFLOWS = join(ROOT, '.github/workflows');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': unknown };
  jobs: Record<string, { steps: Step[] }>;
}

const load = (name: string): Workflow => parseYamlFile(join(WORKFLOWS, name)) as unknown as Workflow;
const stepsOf = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);
const indexOf = (steps: readonly Step[], matches: (step: Step) => boolean): number => {
  const index = steps.findIndex(matches);
  expect(index, 'step not found').to.be.at.least(0);
  return index;
};
const runs = (pattern: RegExp) => (step: Step): boolean => pattern.test(step.run ?? '');

describe('GitHub workflows', () => {
  it('when every file under .github is parsed, then each is valid YAML and every action is pinned to a version', () => {
    const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));

    expect(files).to.include.members(['ci.yml', 'deploy.yml']);
    for (const file of files) {
      for (const step of stepsOf(load(file))) if (step.uses !== undefined) expect(step.uses, file).to.match(/@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
    }
    const dependabot = parseYamlFile(join(ROOT, '.github/dependabot.yml')) as { updates: { 'package-ecosystem': string }[] };
    expect(dependabot.updates.map((update) => update['package-ecosystem'])).to.include.members(['npm', 'github-actions']);
  });

  describe('deploy.yml', () => {
    const workflow = load('deploy.yml');
    const steps = stepsOf(workflow);

    it('when main receives a merge, then it runs with an OIDC token and one deployment at a time', () => {
      expect((workflow.on.push as { branches: string[] }).branches).to.deep.equal(['main']);
      expect(workflow.permissions).to.deep.equal({ contents: 'read', 'id-token': 'write' });
      expect(workflow.concurrency?.['cancel-in-progress']).to.equal(false);
    });

    it('when it signs in to AWS, then it assumes the role named by a secret and holds no access keys', () => {
      const login = steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@') === true);

      expect(login?.with?.['role-to-assume']).to.equal('${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
      expect(Object.keys(login?.with ?? {})).to.not.include.members(['aws-access-key-id', 'aws-secret-access-key']);
    });

    it('when it runs, then it installs, tests, builds, signs in, packages, deploys and then checks /health, in that order', () => {
      const order = [
        indexOf(steps, runs(/^npm ci\b/)),
        indexOf(steps, runs(/^npm test$/)),
        indexOf(steps, runs(/npm run lambda:stage/)),
        indexOf(steps, (step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@') === true),
        indexOf(steps, runs(/sam build --use-container/)),
        indexOf(steps, runs(/^sam deploy/)),
        indexOf(steps, runs(/\/?health/)),
      ];

      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    });

    it('when the health check answers anything but 200, then the step exits non-zero', () => {
      const check = steps[indexOf(steps, runs(/health/))] as Step;

      expect(check.run).to.match(/curl .*--write-out '%\{http_code\}'/s);
      expect(check.run).to.match(/if \[ "\$status" != "200" \]; then[\s\S]*exit 1/);
    });
  });

  describe('ci.yml', () => {
    const workflow = load('ci.yml');
    const steps = stepsOf(workflow);

    it('when a pull request is opened, then the whole test suite runs, the template test and sam validate with it', () => {
      expect(workflow.on).to.have.property('pull_request');
      expect(workflow.permissions).to.deep.equal({ contents: 'read' });
      expect(steps.some(runs(/^npm test$/))).to.equal(true);
      expect(steps.some(runs(/^npm run test:infra$/))).to.equal(true);
      expect(steps.some(runs(/^sam validate --lint --template-file infra\/template\.yaml/))).to.equal(true);
    });
  });
});
