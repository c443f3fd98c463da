import { PageTitle } from '../components/page-title';
import { RegisterForm } from '../components/register-form';
import { UploadForm } from '../components/upload-form';

export function AddPage() {
  return (
    <>
      <PageTitle title="Add an artifact" />
      <p class="lead">Upload a package you have, or let the registry mirror a public repository. Either way it gets an id, a rating and an audit trail.</p>
      <div class="two-up">
        <UploadForm />
        <RegisterForm />
      </div>
    </>
  );
}
