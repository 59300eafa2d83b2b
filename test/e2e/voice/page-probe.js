/* global window, document, performance, AudioContext, MediaStream, WebSocket, MutationObserver */
// Test-only instrumentation of a phone's page, added with page.addInitScript before the phone's
// own script runs (an init script is not subject to the page's Content-Security-Policy). It
// changes nothing the phone does: it records every RTCPeerConnection the phone makes, when the
// phone hands a dial command to its core, and lets the test listen to the remote audio the way
// the person hears it (the `audio.remote-audio` element's stream) with Web Audio.
//
// Times are milliseconds since the epoch with sub-millisecond resolution
// (performance.timeOrigin + performance.now()), so that two pages on one machine compare.
(() => {
  if (window.__voiceProbe) return;
  const now = () => performance.timeOrigin + performance.now();

  /** One RTCPeerConnection the phone made, with the moments that matter for call setup. */
  const records = [];
  const byConnection = new WeakMap();
  const Native = window.RTCPeerConnection;
  class Recorded extends Native {
    constructor(...args) {
      super(...args);
      const record = {
        pc: this,
        createdAt: now(),
        offerAt: undefined,
        answerAt: undefined,
        gatheredAt: undefined,
        connectedAt: undefined,
        trackAt: undefined,
        firstAudioAt: undefined,
      };
      records.push(record);
      byConnection.set(this, record);
      this.addEventListener('icegatheringstatechange', () => {
        if (this.iceGatheringState === 'complete') record.gatheredAt ??= now();
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') record.connectedAt ??= now();
      });
      this.addEventListener('track', (event) => {
        const track = event.track;
        if (track.kind !== 'audio') return;
        record.trackAt ??= now();
        // A remote track is muted until its first RTP packet arrives; 'unmute' is that packet.
        if (!track.muted) record.firstAudioAt ??= now();
        track.addEventListener('unmute', () => (record.firstAudioAt ??= now()), { once: true });
      });
    }
    setLocalDescription(...args) {
      const record = byConnection.get(this);
      const type = args[0]?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
      if (record && type === 'offer') record.offerAt ??= now();
      if (record && type === 'answer') record.answerAt ??= now();
      return super.setLocalDescription(...args);
    }
  }
  window.RTCPeerConnection = Recorded;

  // The moment the UI gives the core its dial (or answer) command: the INVITE leaves right after
  // (the core signs it, then sends it).
  const commands = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      const command = /"command":"(\w+)"/.exec(data)?.[1];
      if (command === 'dial' || command === 'answer' || command === 'hangup')
        commands.push({ command, at: now() });
    }
    return send.call(this, data);
  };

  // Every click on a button, by its accessible label: the person's moves, on the page's clock.
  const clicks = [];
  document.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof window.Element ? event.target.closest('button') : null;
      if (button)
        clicks.push({ label: button.getAttribute('aria-label') ?? button.textContent.trim(), at: now() });
    },
    { capture: true },
  );

  const open = () =>
    records.filter((r) => r.pc.connectionState !== 'closed' && r.pc.signalingState !== 'closed');

  let context;
  const audioContext = () => {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    return context;
  };

  /** The stream the person hears: the srcObject of the one `audio.remote-audio` element. */
  const heardStream = () => {
    const elements = [...document.querySelectorAll('audio.remote-audio')];
    const stream = elements[0]?.srcObject;
    return {
      elements: elements.length,
      stream: stream instanceof MediaStream && stream.getAudioTracks().length > 0 ? stream : undefined,
    };
  };

  const analysers = new Map();
  /** FFT of what the person hears now: the strongest frequency between 100 Hz and 4 kHz, and the RMS level. */
  const hearing = () => {
    const { elements, stream } = heardStream();
    if (!stream) return { elements, stream: false };
    const ctx = audioContext();
    let analyser = analysers.get(stream);
    if (!analyser) {
      analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      ctx.createMediaStreamSource(stream).connect(analyser);
      analysers.set(stream, analyser);
    }
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(spectrum);
    const binHz = ctx.sampleRate / analyser.fftSize;
    let peakDb = -Infinity;
    let peakBin = 0;
    for (let i = Math.ceil(100 / binHz); i < Math.min(spectrum.length, 4000 / binHz); i++) {
      if (spectrum[i] > peakDb) [peakDb, peakBin] = [spectrum[i], i];
    }
    const wave = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(wave);
    let sum = 0;
    for (const v of wave) sum += v * v;
    return {
      elements,
      stream: true,
      peakHz: Math.round(peakBin * binHz),
      peakDb: Number.isFinite(peakDb) ? peakDb : -999,
      rms: Math.sqrt(sum / wave.length),
      context: ctx.state,
    };
  };

  /** inbound-rtp and outbound-rtp audio of every open connection (getStats). */
  const rtp = async () => {
    const out = [];
    for (const record of open()) {
      const report = await record.pc.getStats();
      const entry = {
        inBytes: 0,
        inPackets: 0,
        audioLevel: 0,
        outBytes: 0,
        outPackets: 0,
        jitterBufferMs: 0,
      };
      for (const s of report.values()) {
        if (s.kind !== 'audio') continue;
        if (s.type === 'inbound-rtp') {
          entry.inBytes += s.bytesReceived ?? 0;
          entry.inPackets += s.packetsReceived ?? 0;
          entry.audioLevel = Math.max(entry.audioLevel, s.audioLevel ?? 0);
          // The average time a sample waited in the jitter buffer (NetEq) before it was played.
          if (s.jitterBufferEmittedCount > 0)
            entry.jitterBufferMs = (s.jitterBufferDelay / s.jitterBufferEmittedCount) * 1000;
        }
        if (s.type === 'outbound-rtp') {
          entry.outBytes += s.bytesSent ?? 0;
          entry.outPackets += s.packetsSent ?? 0;
        }
      }
      out.push(entry);
    }
    return out;
  };

  // Mouth-to-ear: detectors and a beeper. A detector listens to a stream in blocks of 256
  // samples (5.3 ms at 48 kHz) and notes when the level rises above a threshold after at least
  // 150 ms below it: a beep's onset.
  const detector = (ctx, node, onsets) => {
    const processor = ctx.createScriptProcessor(256, 1, 1);
    let quietSince = now();
    processor.onaudioprocess = (event) => {
      const samples = event.inputBuffer.getChannelData(0);
      let peak = 0;
      for (const v of samples) peak = Math.max(peak, Math.abs(v));
      const t = now();
      if (peak > 0.05) {
        if (quietSince !== undefined && t - quietSince > 150) onsets.push(t);
        quietSince = undefined;
      } else quietSince ??= t;
    };
    const sink = ctx.createGain();
    sink.gain.value = 0;
    node.connect(processor);
    processor.connect(sink).connect(ctx.destination);
    return processor;
  };

  const listening = { onsets: [], processor: undefined };
  /** Starts noting the onsets of what the person hears (the remote-audio element's stream). */
  const listen = () => {
    const { stream } = heardStream();
    if (!stream) return false;
    const ctx = audioContext();
    listening.onsets = [];
    listening.processor = detector(ctx, ctx.createMediaStreamSource(stream), listening.onsets);
    return true;
  };

  const beeper = { gain: undefined, sent: [], local: [] };
  /**
   * Replaces what the call sends (the microphone) by a 1 kHz oscillator behind a gain of 0, on
   * the sender of the newest open connection (RTCRtpSender.replaceTrack: no renegotiation). A
   * detector on the same gain node, in this page, measures what Web Audio alone adds.
   */
  const startBeeper = async () => {
    const record = open().at(-1);
    const sender = record?.pc.getSenders().find((s) => s.track?.kind === 'audio' || s.track === null);
    if (!sender) return false;
    const ctx = audioContext();
    const oscillator = ctx.createOscillator();
    oscillator.frequency.value = 1000;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const destination = ctx.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    detector(ctx, gain, beeper.local);
    await sender.replaceTrack(destination.stream.getAudioTracks()[0]);
    beeper.gain = gain;
    return true;
  };
  /** One beep of `ms` milliseconds, starting at the next render quantum; returns when it was asked for. */
  const beep = (ms) => {
    const ctx = audioContext();
    const at = now();
    beeper.gain.gain.setValueAtTime(0.5, ctx.currentTime);
    beeper.gain.gain.setValueAtTime(0, ctx.currentTime + ms / 1000);
    beeper.sent.push(at);
    return at;
  };

  // A callee that answers at once (the benchmark's): clicks Accept as soon as the dialog shows.
  let autoAnswer;
  const setAutoAnswer = (on) => {
    autoAnswer?.disconnect();
    autoAnswer = undefined;
    if (!on) return;
    const accepted = new WeakSet();
    const tryAccept = () => {
      const dialog = document.querySelector('[role="alertdialog"]');
      const accept = [...(dialog?.querySelectorAll('button') ?? [])].find(
        (b) => (b.getAttribute('aria-label') ?? b.textContent.trim()) === 'Accept',
      );
      if (accept && !accept.disabled && !accepted.has(accept)) {
        accepted.add(accept);
        commands.push({ command: 'accept-click', at: now() });
        accept.click();
      }
    };
    autoAnswer = new MutationObserver(tryAccept);
    autoAnswer.observe(document.body, { childList: true, subtree: true });
    tryAccept();
  };

  const timeline = () => records.map(({ pc: _pc, ...times }) => ({ ...times, state: _pc.connectionState }));

  window.__voiceProbe = {
    connections: () => records.length,
    openConnections: () => open().length,
    timeline,
    commands: () => commands.slice(),
    clicks: () => clicks.slice(),
    hearing,
    rtp,
    listen,
    onsets: () => listening.onsets.slice(),
    startBeeper,
    beep,
    beeps: () => ({ sent: beeper.sent.slice(), local: beeper.local.slice() }),
    setAutoAnswer,
    now,
  };
})();
