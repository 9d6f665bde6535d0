import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../db.js';
import { initial } from './001-initial.js';
import { emailSuggestions } from './002-email-suggestions.js';
import { associationSearch } from './003-association-search.js';
import { mailboxTeamGroup } from './004-mailbox-team-group.js';
import { claimMri } from './005-claim-mri.js';
import { retentionIndexes } from './006-retention-indexes.js';
import { teamsMessages } from './007-teams-messages.js';
import { teamsMessageSearch } from './008-teams-message-search.js';
import { shortWordSearch } from './009-short-word-search.js';
import { retireJobMaxAttempts } from './010-retire-job-max-attempts.js';
import { jobWaitingSince } from './011-job-waiting-since.js';
import { jobsKindDueIndex } from './012-jobs-kind-due-index.js';
import { associationsSaverIndex } from './013-associations-saver-index.js';
import { searchTextStatistics } from './014-search-text-statistics.js';

type Up = (db: Kysely<unknown>, engine: Engine) => Promise<void>;

/**
 * Every schema version, oldest first: one file each, named as its migration. A new version is a new file and a
 * new line here, never an edit of a shipped one (databases in the field have run it). The names are what
 * `kysely_migration` records, so they never change. Migrations live in code, not files read at run time, so a
 * bundled or compiled build carries them.
 */
const VERSIONS: ReadonlyArray<readonly [name: string, up: Up]> = [
  ['001_initial', initial],
  ['002_email_suggestions', emailSuggestions],
  ['003_association_search', associationSearch],
  ['004_mailbox_team_group', mailboxTeamGroup],
  ['005_claim_mri', claimMri],
  ['006_retention_indexes', retentionIndexes],
  ['007_teams_messages', teamsMessages],
  ['008_teams_message_search', teamsMessageSearch],
  ['009_short_word_search', shortWordSearch],
  ['010_retire_job_max_attempts', retireJobMaxAttempts],
  ['011_job_waiting_since', jobWaitingSince],
  ['012_jobs_kind_due_index', jobsKindDueIndex],
  ['013_associations_saver_index', associationsSaverIndex],
  ['014_search_text_statistics', searchTextStatistics],
];

export function migrations(engine: Engine): Record<string, Migration> {
  return Object.fromEntries(VERSIONS.map(([name, up]) => [name, { up: (db: Kysely<unknown>) => up(db, engine) }]));
}
