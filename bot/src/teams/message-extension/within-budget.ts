/**
 * Waits for `work` at most `ms`; past that, answers `fallback` and lets the work finish (or fail) on its own.
 * Teams drops a messaging-extension answer that takes more than 5 seconds, so every NetSuite call made while
 * Teams waits goes through here.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search
 */
export async function withinBudget<T>(
  work: Promise<T>,
  ms: number,
  fallback: T,
  onLateError: (err: unknown) => void,
): Promise<{ value: T; late: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const late = Symbol('late');
  const budget = new Promise<typeof late>((resolve) => {
    timer = setTimeout(() => resolve(late), Math.max(0, ms));
  });
  let winner: T | typeof late;
  try {
    winner = await Promise.race([work, budget]);
  } finally {
    clearTimeout(timer);
  }
  if (winner !== late) return { value: winner, late: false };
  // The work that lost the race still settles later; a failure then is reported, never left unhandled.
  work.catch(onLateError);
  return { value: fallback, late: true };
}

/** Milliseconds left of a budget that started at `startedAt`. */
export function remaining(startedAt: number, budgetMs: number): number {
  return Math.max(0, budgetMs - (Date.now() - startedAt));
}
