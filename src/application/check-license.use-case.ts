import { licenseFieldsOf } from '../domain/artifact-license';
import { invalidInput } from '../domain/errors';
import {
  checkLicenseCompatibility, normalizeGitHubLicense, normalizeHuggingFaceLicense, type GitHubLicenseFields, type LicenseCompatibility,
} from '../domain/licensing';
import { parseSourceUrl } from '../domain/source-url';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { CodeHost } from '../ports/source-hubs.port';
import { loadArtifact, requirePermission } from './access';

export interface CheckLicenseInput {
  readonly actor: User;
  readonly modelId: string;
  readonly githubUrl: string;
  readonly commercial?: boolean;
  readonly distribute?: boolean;
}

export interface LicenseReport extends LicenseCompatibility {
  readonly githubUrl: string;
}

/**
 * May this GitHub project's code be used to fine-tune this model and run inference with the result?
 * The model's license comes from what it declared when registered; the project's is asked of GitHub.
 */
export class CheckLicense {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly code: CodeHost,
  ) {}

  async execute(input: CheckLicenseInput): Promise<LicenseReport> {
    requirePermission(input.actor, 'search');
    const source = parseSourceUrl(input.githubUrl, 'code');
    if (source.hub !== 'github') throw invalidInput('github_url must be a GitHub repository URL such as https://github.com/owner/repo');
    const model = await loadArtifact(this.repository, 'model', input.modelId);
    const repository = await this.code.repository(source.repo);
    const codeLicense = normalizeGitHubLicense(repository.info.license as GitHubLicenseFields | null | undefined);
    const verdict = checkLicenseCompatibility(normalizeHuggingFaceLicense(licenseFieldsOf(model)), codeLicense, {
      ...(input.commercial === undefined ? {} : { commercial: input.commercial }),
      ...(input.distribute === undefined ? {} : { distribute: input.distribute }),
    });
    return { ...verdict, githubUrl: `https://github.com/${source.repo}` };
  }
}
