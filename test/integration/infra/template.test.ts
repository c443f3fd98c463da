import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { CONTRACT_ADMIN_PASSWORD } from '../../../src/config';
import { parseTemplate, referencedIds } from './cloudformation-yaml';

const ROOT = resolve(__dirname, '../../..');
const TEMPLATE = join(ROOT, 'infra/template.yaml');

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, unknown>;
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('infra/template.yaml', () => {
  const template = parseTemplate(TEMPLATE);
  const resources = template.Resources as Record<string, Resource>;
  const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const only = (type: string): Resource => {
    const found = ofType(type);
    expect(found, type).to.have.length(1);
    return (found[0] as [string, Resource])[1];
  };
  const fn = (): Resource => resources.RegistryFunction as Resource;
  const environment = (): Record<string, unknown> => ((fn().Properties.Environment as { Variables: Record<string, unknown> }).Variables);

  /** Every policy statement in the template: role policies, managed policies and bucket policies. */
  function statements(): (Statement & { owner: string })[] {
    const found: (Statement & { owner: string })[] = [];
    for (const [id, resource] of Object.entries(resources)) {
      const documents: unknown[] = [];
      if (resource.Type === 'AWS::IAM::Role') documents.push(...list(resource.Properties.Policies as { PolicyDocument: unknown }[]).map((policy) => policy.PolicyDocument));
      if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::S3::BucketPolicy'].includes(resource.Type)) documents.push(resource.Properties.PolicyDocument);
      for (const document of documents) {
        for (const statement of list((document as { Statement: Statement | Statement[] }).Statement)) found.push({ ...statement, owner: id });
      }
    }
    return found;
  }

  it('when it is parsed with the CloudFormation tags, then it is a SAM template', () => {
    expect(template.AWSTemplateFormatVersion).to.equal('2010-09-09');
    expect(template.Transform).to.equal('AWS::Serverless-2016-10-31');
  });

  it('when the function is read, then it runs the Lambda handler on a supported Node runtime with justified sizes', () => {
    const properties = fn().Properties;

    expect(properties.Handler).to.equal('dist/src/adapters/lambda/handler.handler');
    expect(properties.Runtime).to.match(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(properties.Architectures).to.deep.equal(['x86_64']);
    expect(properties.MemorySize).to.equal(1024);
    expect(properties.Timeout, 'under the HTTP API integration limit of 30 s').to.be.within(1, 29);
    expect(properties.EphemeralStorage).to.deep.equal({ Size: 512 });
  });

  it('when the handler path is followed, then it names a module that exports a function called handler', () => {
    const source = join(ROOT, 'src/adapters/lambda/handler.ts');
    expect(existsSync(source)).to.equal(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof (require(source) as { handler?: unknown }).handler).to.equal('function');
  });

  it('when the functions are built, then the Makefile has a target named after each logical id', () => {
    const functions = ofType('AWS::Serverless::Function');

    expect(functions.map(([id]) => id).sort()).to.deep.equal(['RegistryFunction', 'SweeperFunction']);
    for (const [id, resource] of functions) {
      expect(resource.Metadata, id).to.deep.equal({ BuildMethod: 'makefile' });
      expect(readFileSync(join(ROOT, 'infra/lambda.Makefile'), 'utf8')).to.match(new RegExp(`^build-${id}:`, 'm'));
    }
  });

  it('when the sweeper is read, then a schedule runs an exported handler with the registry\'s role, and requests never sweep', () => {
    const sweeper = resources.SweeperFunction as Resource;
    const events = Object.values(sweeper.Properties.Events as Record<string, { Type: string; Properties: Record<string, unknown> }>);
    const variables = (sweeper.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(sweeper.Properties.Handler).to.equal('dist/src/adapters/lambda/handler.sweep');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof (require(join(ROOT, 'src/adapters/lambda/handler.ts')) as { sweep?: unknown }).sweep).to.equal('function');
    expect(events.map((event) => event.Type)).to.deep.equal(['Schedule']);
    expect(events[0]?.Properties.Schedule).to.deep.equal({ Ref: 'SweepSchedule' });
    expect(sweeper.Properties.Timeout).to.be.within(60, 900);
    expect(sweeper.Properties.Role).to.deep.equal(fn().Properties.Role);
    expect(variables.TMR_STORAGE).to.equal('s3');
    expect(variables.S3_BUCKET).to.deep.equal(environment().S3_BUCKET);
    expect(variables.TMR_SWEEP_GRACE_MS).to.deep.equal({ Ref: 'SweepGraceMs' });
    expect(environment().TMR_SWEEP_INTERVAL_MS, 'the registry function leaves sweeping to the schedule').to.equal('0');
  });

  it('when the environment is read, then storage is the content bucket and the admin password is a dynamic reference', () => {
    const variables = environment();
    const [bucketId] = ofType('AWS::S3::Bucket').find(([, bucket]) => bucket.DeletionPolicy === 'Retain') ?? [];

    expect(variables.TMR_STORAGE).to.equal('s3');
    expect(variables.NODE_ENV).to.equal('production');
    expect(variables.S3_BUCKET).to.deep.equal({ Ref: bucketId });
    const password = variables.TMR_ADMIN_PASSWORD as { 'Fn::Sub'?: string };
    expect(password['Fn::Sub']).to.match(/^\{\{resolve:(ssm|secretsmanager):\$\{[A-Za-z]+\}\}\}$/);
    expect(readFileSync(TEMPLATE, 'utf8')).to.not.include(CONTRACT_ADMIN_PASSWORD.slice(0, 20));
    const parameter = (template.Parameters as Record<string, { Default?: string; NoEcho?: boolean }>).AdminPasswordParameter;
    expect(parameter?.Default, 'the default names a parameter, it is not a password').to.match(/^\/[a-z/-]+$/);
  });

  it('when the content bucket is read, then it is versioned, private, kept on stack deletion and aborts stale multipart uploads', () => {
    const bucket = resources.ContentBucket as Resource;
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    expect(bucket.DeletionPolicy).to.equal('Retain');
    expect(bucket.Properties.VersioningConfiguration).to.deep.equal({ Status: 'Enabled' });
    expect(bucket.Properties.PublicAccessBlockConfiguration).to.deep.equal({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    const abort = rules.find((rule) => rule.AbortIncompleteMultipartUpload !== undefined);
    expect(abort?.Status).to.equal('Enabled');
    expect(abort?.Prefix, 'applies to the whole bucket').to.equal(undefined);
    expect((abort?.AbortIncompleteMultipartUpload as { DaysAfterInitiation: number }).DaysAfterInitiation).to.be.within(1, 7);
    expect(rules.find((rule) => rule.Prefix === 'tmp/')?.ExpirationInDays).to.be.a('number');
  });

  it('when every Allow is read, then none grants s3:* or a wildcard action, and no S3 action applies to Resource *', () => {
    const allows = statements().filter((statement) => statement.Effect === 'Allow');

    expect(allows.length).to.be.greaterThan(0);
    for (const statement of allows) {
      const actions = list(statement.Action);
      const label = `${statement.owner}/${statement.Sid ?? actions.join(',')}`;
      for (const action of actions) expect(action, label).to.not.match(/\*/);
      if (actions.some((action) => action.startsWith('s3:'))) {
        expect(list(statement.Resource), label).to.not.include('*');
        expect(referencedIds(statement.Resource), label).to.not.deep.equal([]);
      }
      expect(statement.Principal, label).to.not.equal('*');
    }
  });

  it('when the function role is read, then it may list and use objects of exactly the content bucket, and write only its own logs', () => {
    const roleId = referencedIds(fn().Properties.Role)[0];
    const own = statements().filter((statement) => statement.owner === roleId && statement.Effect === 'Allow');
    const s3 = own.filter((statement) => list(statement.Action).some((action) => action.startsWith('s3:')));
    const logs = own.filter((statement) => list(statement.Action).some((action) => action.startsWith('logs:')));

    expect(s3.flatMap((statement) => list(statement.Action)).sort()).to.deep.equal([
      's3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject',
    ]);
    for (const statement of s3) expect(referencedIds(statement.Resource)).to.deep.equal(['ContentBucket']);
    expect(s3.find((statement) => list(statement.Action).includes('s3:ListBucket'))?.Resource).to.deep.equal({ 'Fn::GetAtt': ['ContentBucket', 'Arn'] });
    expect(s3.find((statement) => list(statement.Action).includes('s3:GetObject'))?.Resource).to.deep.equal({ 'Fn::Sub': '${ContentBucket.Arn}/*' });
    expect(logs.flatMap((statement) => referencedIds(statement.Resource))).to.deep.equal(['RegistryLogGroup']);
    expect(fn().Properties.Policies, 'no SAM policy templates beside the role').to.equal(undefined);
  });

  it('when the logs are read, then the function writes to a log group with a retention period', () => {
    const group = only('AWS::Logs::LogGroup');

    expect(group.Properties.RetentionInDays).to.deep.equal({ Ref: 'LogRetentionDays' });
    expect((fn().Properties.LoggingConfig as { LogGroup: unknown }).LogGroup).to.deep.equal({ Ref: 'RegistryLogGroup' });
  });

  it('when the API is read, then every route of an HTTP API goes to the function, throttled, and its URL is an output', () => {
    const api = only('AWS::Serverless::HttpApi');
    const events = Object.values(fn().Properties.Events as Record<string, { Type: string; Properties: Record<string, unknown> }>);

    expect(events.map((event) => event.Type)).to.deep.equal(['HttpApi']);
    expect(events[0]?.Properties.Path, 'no path: the $default route').to.equal(undefined);
    expect(events[0]?.Properties.ApiId).to.deep.equal({ Ref: 'RegistryApi' });
    expect(Object.keys(api.Properties.DefaultRouteSettings as object).sort()).to.deep.equal(['ThrottlingBurstLimit', 'ThrottlingRateLimit']);
    const apiUrl = (template.Outputs as Record<string, { Value: unknown }>).ApiUrl;
    expect(referencedIds(apiUrl?.Value)).to.include('RegistryApi');
  });

  describe('the front door', () => {
    interface Behavior {
      PathPattern?: string;
      TargetOriginId: string;
      AllowedMethods: string[];
      CachePolicyId: string;
      OriginRequestPolicyId?: string;
    }
    const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
    const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
    const config = (): Record<string, unknown> => only('AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<string, unknown>;
    const origins = (): Record<string, Record<string, unknown>> =>
      Object.fromEntries((config().Origins as Record<string, unknown>[]).map((origin) => [origin.Id as string, origin]));
    const behaviors = (): Behavior[] => config().CacheBehaviors as Behavior[];
    /** CloudFront path patterns: `*` is any run of characters, `?` one. */
    const matches = (pattern: string, path: string): boolean =>
      new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(path);

    it('when the UI is asked for, then it comes from a private bucket that only this distribution can read', () => {
      const web = resources.WebBucket as Resource;
      const grants = statements().filter((statement) => statement.owner === 'WebBucketPolicy' && statement.Effect === 'Allow');
      const defaults = config().DefaultCacheBehavior as Behavior;

      expect(web.Properties.PublicAccessBlockConfiguration).to.deep.include({ BlockPublicPolicy: true, RestrictPublicBuckets: true });
      expect(referencedIds(origins()[defaults.TargetOriginId]?.DomainName)).to.deep.equal(['WebBucket']);
      expect(referencedIds(origins()[defaults.TargetOriginId]?.OriginAccessControlId)).to.deep.equal(['WebOriginAccessControl']);
      expect(defaults.AllowedMethods).to.deep.equal(['GET', 'HEAD']);
      expect(grants).to.have.length(1);
      expect(grants[0]?.Principal).to.deep.equal({ Service: 'cloudfront.amazonaws.com' });
      expect(referencedIds(grants[0]?.Condition)).to.include('WebDistribution');
      expect(Object.keys(template.Outputs as object)).to.include.members(['WebUrl', 'WebBucketName', 'WebDistributionId']);
    });

    it('when any path of the OpenAPI document is asked for, then it goes to the API, uncached, with its headers', () => {
      const document = parseTemplate(join(ROOT, 'openapi/openapi.yaml')) as { paths: Record<string, unknown> };
      const paths = [...Object.keys(document.paths), '/docs/', '/openapi.json', '/openapi.yaml'];

      for (const path of paths) {
        const behavior = behaviors().find((candidate) => matches(candidate.PathPattern ?? '', path.replace(/\{[^}]+\}/g, 'x')));
        expect(behavior?.TargetOriginId, path).to.equal('registry-api');
        expect(behavior?.CachePolicyId, path).to.equal(CACHING_DISABLED);
        expect(behavior?.OriginRequestPolicyId, path).to.equal(ALL_VIEWER_EXCEPT_HOST);
        expect(behavior?.AllowedMethods, path).to.include.members(['GET', 'POST', 'PUT', 'DELETE']);
      }
      expect(referencedIds(origins()['registry-api']?.DomainName)).to.deep.equal(['RegistryApi']);
      expect(behaviors().some((behavior) => matches(behavior.PathPattern ?? '', '/index.html')), 'the UI stays with the bucket').to.equal(false);
    });

    it('when the API answers an error, then CloudFront passes it on rather than replacing it with a page', () => {
      expect(config().CustomErrorResponses).to.equal(undefined);
    });
  });
});
