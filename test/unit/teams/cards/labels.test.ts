import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime } from '../../../../bot/src/teams/cards/labels.js';

describe('card dates', () => {
  const at = '2025-01-14T10:32:00Z';

  it('shows the team’s local time, with its zone named', () => {
    expect(formatTime(at, 'Europe/Berlin')).toBe('11:32');
    expect(formatDateTime(at, 'Europe/Berlin')).toBe('Tue, 14 Jan 2025, 11:32 CET');
    expect(formatDate('2025-01-14T23:30:00Z', 'Europe/Berlin')).toBe('15 Jan 2025');
  });

  it('falls back to UTC, named, for an unknown zone, and again on the next card', () => {
    expect(formatDateTime(at, 'Mars/Olympus_Mons')).toBe('Tue, 14 Jan 2025, 10:32 UTC');
    expect(formatTime(at, 'Mars/Olympus_Mons')).toBe('10:32');
    expect(formatDateTime(at)).toBe('Tue, 14 Jan 2025, 10:32 UTC');
  });

  it('says so when the time is not a date', () => {
    expect(formatDateTime('yesterday')).toBe('unknown time');
    expect(formatDate('soon')).toBe('unknown date');
    expect(formatTime('')).toBe('');
  });
});
