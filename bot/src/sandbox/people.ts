/**
 * The people of the sandbox tenant (contoso.com), each with one identity that every part of the sandbox uses:
 * - the Agents Playground's config (.m365agentsplayground.yml: `id` is the MRI, `aadObjectId` the object id);
 * - the Graph emulator's directory and mailboxes (a user's `id` is their object id, as in Entra);
 * - the Dashboard's local token issuer (`oid`).
 * So Adele is the same person when she claims a card in the Playground, turns off her rule in the Dashboard and
 * types `/autopilot on me`. A test checks the Playground's YAML against this table.
 */
export interface SandboxPerson {
  /** Short name for `?user=` in the Dashboard and for tests. */
  key: string;
  /** Entra object id: Teams sends it as `from.aadObjectId`, tokens as `oid`, Graph as the user's `id`. */
  oid: string;
  /** Teams user id (MRI), `from.id` in activities. */
  mri: string;
  /** UPN, and the address of their mailbox. */
  upn: string;
  displayName: string;
  givenName: string;
  surname: string;
  jobTitle: string;
}

function person(key: string, oid: string, givenName: string, surname: string, jobTitle: string): SandboxPerson {
  return {
    key,
    oid,
    mri: `29:playground-${key}`,
    upn: `${key}@contoso.com`,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    jobTitle,
  };
}

/**
 * Adele first: she is the Playground's current user and the Dashboard's default. She owns the sandbox team and,
 * unless admins are configured, its listed admin, so a newcomer's `/watch support@` works.
 */
export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  person('adele', 'a3d1c7e2-5b4f-4e0a-9c8d-7f6e5d4c3b2a', 'Adele', 'Vance', 'Support Agent'),
  person('alex', '5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b', 'Alex', 'Wilber', 'Sales Agent'),
  person('megan', '6f2a3b4c-5d6e-4f7a-9b8c-0d1e2f3a4b5c', 'Megan', 'Bowen', 'Account Manager'),
  person('lee', '7a3b4c5d-6e7f-4a8b-8c9d-1e2f3a4b5c6d', 'Lee', 'Gu', 'Support Agent'),
  person('diego', '8b4c5d6e-7f8a-4b9c-9d0e-2f3a4b5c6d7e', 'Diego', 'Siciliani', 'Sales Agent'),
  person('isaiah', '9c5d6e7f-8a9b-4c0d-8e1f-3a4b5c6d7e8f', 'Isaiah', 'Langer', 'Support Lead'),
];

export function sandboxPerson(key: string): SandboxPerson {
  const found = SANDBOX_PEOPLE.find((p) => p.key === key);
  if (!found) throw new Error(`No sandbox person "${key}"`);
  return found;
}

/** The team owner among them: an admin of the sandbox team's mailboxes. */
export const SANDBOX_TEAM_OWNER = sandboxPerson('adele');

/**
 * The sandbox's MAILROOM_ADMINS when neither it nor MAILROOM_ADMIN_GROUP_ID is set: only a listed admin may watch a shared mailbox.
 * Set MAILROOM_ADMINS (e.g. to Isaiah's object id) to try Adele as a team owner who is not a listed admin.
 */
export const SANDBOX_DEFAULT_ADMIN = sandboxPerson('adele');
