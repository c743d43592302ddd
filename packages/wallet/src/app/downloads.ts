/**
 * Saving a file the holder asked for (a backup, the history) to the phone's downloads: a `Blob`
 * behind an object URL, handed to the browser through a download link. Nothing is uploaded; the
 * object URL is dropped once the browser has taken the file.
 */

/** Offers `text` as a download named `name`. */
export function saveFile(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser reads the blob when the download starts; a minute is ample on a slow phone.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `2026-03-01`: the day in a file name, in UTC so the name does not depend on the phone's zone. */
export function fileDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
