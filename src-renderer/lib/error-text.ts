/**
 * The words to show for a refused command. The core rejects with a `PhoneError` whose message a
 * person can act on ("Wrong password for alice", "The login server does not answer..."); this
 * only has to find that message in what the carrier delivered.
 */
export function errorText(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
      ? error.message
      : typeof error === 'string'
        ? error
        : '';
  // Electron's ipcRenderer.invoke wraps a remote rejection as
  // "Error invoking remote method 'joinNetwork': PhoneError: <message>"; the person needs the end.
  const unwrapped = message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
  return unwrapped.trim() || 'Something went wrong, and the phone did not say what.';
}
