import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { contentSecurityPolicy, downloadOrigins, REFERRER_POLICY } from '../../../src/adapters/http/security-headers';
import { parseTemplate, referencedIds } from './cloudformation-yaml';

const TEMPLATE = join(resolve(__dirname, '../../..'), 'infra/template.yaml');

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Behavior {
  PathPattern?: string;
  ResponseHeadersPolicyId?: unknown;
}
interface SecurityHeaders {
  ContentSecurityPolicy?: { ContentSecurityPolicy: unknown; Override: boolean };
  ContentTypeOptions?: { Override: boolean };
  FrameOptions?: { FrameOption: string; Override: boolean };
  ReferrerPolicy?: { ReferrerPolicy: string; Override: boolean };
  StrictTransportSecurity?: { AccessControlMaxAgeSec: number; Override: boolean };
}

describe('infra/template.yaml: security headers at the front door', () => {
  const template = parseTemplate(TEMPLATE);
  const resources = template.Resources as Record<string, Resource>;
  const policies = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
  const [policyId, policy] = policies[0] ?? ['', { Type: '', Properties: {} }];
  const headers = (policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig?: SecurityHeaders } | undefined)?.SecurityHeadersConfig ?? {};
  const distribution = (Object.values(resources).find((resource) => resource.Type === 'AWS::CloudFront::Distribution') as Resource).Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
  };

  it('when the template is read, then one response headers policy sets CSP, nosniff, framing, referrer and HSTS', () => {
    expect(policies).to.have.length(1);
    expect(headers.ContentTypeOptions?.Override).to.equal(true);
    expect(headers.FrameOptions).to.deep.equal({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).to.deep.equal({ ReferrerPolicy: REFERRER_POLICY, Override: true });
    expect(headers.StrictTransportSecurity?.AccessControlMaxAgeSec).to.be.at.least(31_536_000);
  });

  it('when the UI comes from its bucket, then its CSP is the one the registry itself sends, with the content bucket allowed for downloads', () => {
    const csp = headers.ContentSecurityPolicy;
    // Not overridden: /docs answers with its own, slightly wider policy (Swagger UI's inline styles).
    expect(csp?.Override).to.equal(false);
    const template = (csp?.ContentSecurityPolicy as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
    expect(template).to.be.a('string');
    const rendered = String(template)
      .replace(/\$\{AWS::Region\}/g, 'us-east-1')
      .replace(/\$\{AWS::URLSuffix\}/g, 'amazonaws.com')
      .replace(/\$\{ContentBucket\}/g, 'the-bucket');
    expect(rendered).to.equal(contentSecurityPolicy(downloadOrigins({ s3: { bucket: 'the-bucket', region: 'us-east-1', forcePathStyle: false, presignSeconds: 300 } })));
    expect(rendered).to.contain("frame-ancestors 'none'");
  });

  it('when any path is asked for, UI or API, then the policy applies', () => {
    for (const behavior of [distribution.DefaultCacheBehavior, ...distribution.CacheBehaviors]) {
      expect(referencedIds(behavior.ResponseHeadersPolicyId), behavior.PathPattern ?? 'default').to.deep.equal([policyId]);
    }
  });
});
