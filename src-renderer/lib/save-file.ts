import type { ExportedFile } from '../../src-main/ipc/contract.ts';

/**
 * Hands a file the core produced to the person. A download link works on both carriers: the
 * browser saves it, and Electron turns it into its save dialog (the shell's will-download).
 */
export function saveFile(file: ExportedFile, doc: Document = document): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
