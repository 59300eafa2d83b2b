/* global window, document */
// The passphrase window's page (plain script: it is served as is, not built). It talks to the
// main process only through window.chordlinePassphrase, exposed by its sandboxed preload.
'use strict';

const $ = (id) => document.getElementById(id);
const bridge = window.chordlinePassphrase;
let reason = 'unlock';

bridge.request().then((request) => {
  if (!request) return;
  reason = request.reason;
  $('folder').textContent = request.dataDir;
  if (reason === 'new') {
    $('title').textContent = 'Choose a passphrase';
    $('explain').textContent =
      "This computer has no key ring to keep your phone's private key, so it will be protected by a " +
      'passphrase you choose. You will type it each time Chordline starts; it cannot be recovered.';
    $('passphrase').autocomplete = 'new-password';
    $('again-row').hidden = false;
    $('again').required = true;
    $('ok').textContent = 'Create';
  }
});

$('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const passphrase = $('passphrase').value;
  if (passphrase === '') {
    $('problem').textContent = 'Type a passphrase.';
    return;
  }
  if (reason === 'new' && passphrase.length < 8) {
    $('problem').textContent = 'Use at least 8 characters.';
    return;
  }
  if (reason === 'new' && $('again').value !== passphrase) {
    $('problem').textContent = 'The two passphrases differ.';
    return;
  }
  bridge.submit(passphrase);
});

$('cancel').addEventListener('click', () => bridge.cancel());
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') bridge.cancel();
});
