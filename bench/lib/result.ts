/** One line of a benchmark's table: what was measured, the figure, and how it compares with the bound that matters. */
export interface Row {
  metric: string;
  value: string;
  /** The bound or target it is held against, and whether it holds ("✅ under Graph's 3 s"). */
  compare?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  /** How the figure was produced, in one or two sentences. */
  method: string;
  rows: Row[];
  notes: string[];
  /** Longer text for the document only (query plans), each entry a paragraph or a preformatted block. */
  details?: string[];
}

export interface BenchContext {
  quick: boolean;
  /** A PostgreSQL URL for the runs that need one, or null when none is reachable. */
  postgresUrl: string | null;
  log(line: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export const verdict = (ok: boolean, text: string) => `${ok ? '✅' : '❌'} ${text}`;
