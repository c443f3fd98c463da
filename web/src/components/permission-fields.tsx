import { USER_PERMISSIONS, type PermissionFlags, type UserPermission } from '../api-types';

export const PERMISSION_LABELS: Record<UserPermission, string> = {
  search: 'Search',
  download: 'Download',
  upload: 'Upload',
  admin: 'Admin',
};

const PERMISSION_HINTS: Record<UserPermission, string> = {
  search: 'find, read, rate and check artifacts',
  download: 'download packages',
  upload: 'add artifacts and change or delete their own',
  admin: 'everything, including users and reset',
};

export const NO_PERMISSIONS: PermissionFlags = { search: false, download: false, upload: false, admin: false };

export const describePermissions = (flags: PermissionFlags): string => {
  const held = USER_PERMISSIONS.filter((permission) => flags[permission]).map((permission) => PERMISSION_LABELS[permission]);
  return held.length === 0 ? 'None' : held.join(', ');
};

/** Four checkboxes in a fieldset. */
export function PermissionFields({ legend, value, onChange }: { legend: string; value: PermissionFlags; onChange: (next: PermissionFlags) => void }) {
  return (
    <fieldset class="field checks">
      <legend>{legend}</legend>
      {USER_PERMISSIONS.map((permission) => (
        <label class="check" key={permission}>
          <input type="checkbox" checked={value[permission]} onChange={(event) => onChange({ ...value, [permission]: event.currentTarget.checked })} />
          {PERMISSION_LABELS[permission]} <span class="meta">— {PERMISSION_HINTS[permission]}</span>
        </label>
      ))}
    </fieldset>
  );
}

export const PASSWORD_HINT = 'At least 12 characters (at most 256), not containing the user name, and not one of the most common breached passwords. A few unrelated words make a good one.';
