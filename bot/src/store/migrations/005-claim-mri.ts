import type { Kysely } from 'kysely';

export async function claimMri(db: Kysely<unknown>): Promise<void> {
  // The claimer's Teams user id (MRI, `29:…`): the card's refresh.userIds must name it, not the AAD object id,
  // for Teams to refresh the claimer's view. Claims stored before this have none (null) until the claimer's next
  // click on that card fills it in.
  await db.schema.alterTable('claims').addColumn('user_mri', 'text').execute();
}
