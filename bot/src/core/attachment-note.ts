/** One line on what happened to the files a save left out, for the card and the Dashboard: each with its reason. */
export function attachmentNote(
  attachments: ReadonlyArray<{ name: string; status: string; reason?: string | undefined }>,
): string {
  return attachments
    .filter((f) => f.status !== 'saved')
    .map((f) => {
      // Saves made before the SuiteApp reported no reason for an oversized file.
      const why = f.reason ?? (f.status === 'skipped_too_large' ? 'over NetSuite’s 10 MB limit' : 'not saved');
      return `${f.name}: ${why}`;
    })
    .join('; ');
}
