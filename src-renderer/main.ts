import { mount } from 'svelte';
import { connectPhone } from '../src-main/ipc/ws-client.ts';
import App from './App.svelte';
import { openPhone } from './lib/open-phone.ts';
import { webRtcEngine } from './media/webrtc-engine.ts';
import Unreachable from './views/UnreachableView.svelte';
import './styles/theme.css';
import './styles/base.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

openPhone({ chordline: window.chordline, location: window.location, connectPhone })
  .then((api) => {
    target.replaceChildren();
    mount(App, { target, props: { api, engine: webRtcEngine() } });
  })
  .catch((error: unknown) => {
    target.replaceChildren();
    mount(Unreachable, { target, props: { error } });
  });
