import { type Kysely, sql } from 'kysely';
import type { Engine } from '../db.js';

/** The item a save is of, as search text: its email's subject and sender, or its Teams message's. */
const ITEM_TEXT = (a: string) =>
  `coalesce(
     (select e.subject || char(10) || e.from_name || char(10) || e.from_address from emails e where e.id = ${a}.email_id),
     (select t.subject || char(10) || t.author_name || char(10) || t.author_address from teams_messages t
       where t.id = ${a}.email_id),
     '') || char(10) || ${a}.record_name`;

/**
 * The Dashboard's search (003) finds a Teams message's saves by its subject and author too, as it does an email's:
 * the triggers that keep the search text read teams_messages as well, and the saves already made are re-read.
 */
export async function teamsMessageSearch(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql
      .raw(
        `create or replace function associations_search_text() returns trigger language plpgsql
         set search_path from current as $fn$
         begin
           new.search_text := lower(concat_ws(E'\\n',
             coalesce(
               (select concat_ws(E'\\n', e.subject, e.from_name, e.from_address) from emails e where e.id = new.email_id),
               (select concat_ws(E'\\n', t.subject, t.author_name, t.author_address) from teams_messages t
                 where t.id = new.email_id)),
             new.record_name));
           return new;
         end $fn$`,
      )
      .execute(db);
  } else {
    await sql`drop trigger associations_fts_insert`.execute(db);
    await sql`drop trigger associations_fts_update`.execute(db);
    await sql
      .raw(
        `create trigger associations_fts_insert after insert on associations begin
           insert into associations_fts (search_text, association_id) values (${ITEM_TEXT('new')}, new.id);
         end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger associations_fts_update after update of record_name, email_id on associations begin
           update associations_fts set search_text = ${ITEM_TEXT('new')} where association_id = old.id;
         end`,
      )
      .execute(db);
  }
  // The update triggers recompute the text of the saves of Teams messages made before this version.
  await sql`update associations set email_id = email_id where email_id in (select id from teams_messages)`.execute(db);
}
